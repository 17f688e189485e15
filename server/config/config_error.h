#pragma once

#include <stdexcept>
#include <string>

namespace mailsift::config {

/// Bad configuration: the message starts with the YAML path of the offending key
/// (e.g. "http.port: expected a whole number from 0 to 65535, got 'eighty'").
class ConfigError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace mailsift::config
