#pragma once

#include <string>
#include <string_view>

namespace mailsift::webhooks {

/// Lower-case hex HMAC-SHA256 of `body` keyed with `secret` (the bytes of the secret string as
/// shown to the subscriber): the value of X-Webhook-Signature.
std::string signBody(std::string_view secret, std::string_view body);

/// A new subscription secret: "whsec_" and 64 hex digits from the system's CSPRNG.
std::string newSecret();

/// Compares two strings in time independent of where they differ (for verifying signatures).
bool constantTimeEquals(std::string_view a, std::string_view b);

}  // namespace mailsift::webhooks
