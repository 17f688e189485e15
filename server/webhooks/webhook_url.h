#pragma once

#include <optional>
#include <string>

namespace mailsift::webhooks {

/// Longest target URL accepted.
inline constexpr std::size_t kMaxUrlLength = 2048;

/// Why `url` cannot be a webhook target (a sentence for the API client), or nullopt when it can:
/// an absolute http or https URL with a host, no user info, no fragment, at most kMaxUrlLength.
/// The address the host resolves to is checked at delivery time (target_policy.h).
std::optional<std::string> urlProblem(const std::string& url);

}  // namespace mailsift::webhooks
