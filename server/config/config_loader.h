#pragma once

#include <string>

#include "config/config.h"

namespace mailsift::config {

/// Reads a YAML config file into typed structs. Every key must be known and every value valid,
/// or ConfigError is thrown naming the key's YAML path and the reason. `${NAME}` and
/// `${NAME:-default}` in scalar values are replaced from the environment before they are read.
Config loadConfigFile(const std::string& path);

/// The same for YAML text; `sourcePath` is what relative paths are resolved against.
Config loadConfigText(const std::string& yaml, const std::string& sourcePath);

/// Where the config comes from: `--config` when given, else $MAILSIFT_CONFIG; throws ConfigError
/// with a sentence saying how to name one when neither is set.
std::string chooseConfigPath(const std::string& fromFlag);

}  // namespace mailsift::config
