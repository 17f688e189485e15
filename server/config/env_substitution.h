#pragma once

#include <functional>
#include <optional>
#include <string>

namespace mailsift::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// Replaces `${NAME}` and `${NAME:-default}` in `value`; `$$` stands for a literal `$`.
/// Throws std::invalid_argument with a sentence when a variable is unset and has no default,
/// or when a `${` is not closed.
std::string substituteEnv(const std::string& value, const EnvLookup& lookup);

/// Looks names up in the process environment.
std::optional<std::string> processEnv(const std::string& name);

}  // namespace mailsift::config
