#include "common/connector_config.h"

#include <stdexcept>

namespace mailsift::connectors {

std::uint64_t sizeLimit(const stages::StageConfig& config, std::string_view key,
                        std::uint64_t fallback) {
    if (!config.has(key))
        return fallback;
    const std::int64_t value = config.integer(key, 0);
    if (value <= 0)
        throw std::invalid_argument(config.about(key) + "must be a positive integer");
    return static_cast<std::uint64_t>(value);
}

}  // namespace mailsift::connectors
