#pragma once

#include <cstdint>
#include <string_view>

#include "common/stage_config.h"

namespace mailsift::connectors {

/// The value of the size limit `key` (a positive integer) in a connector's config, or `fallback`
/// when the config does not set it. Throws std::invalid_argument naming the plugin and the key for
/// zero or a negative number. The keys themselves are checked by StageConfig.
std::uint64_t sizeLimit(const stages::StageConfig& config, std::string_view key,
                        std::uint64_t fallback);

}  // namespace mailsift::connectors
