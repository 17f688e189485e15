#pragma once

#include <string>
#include <string_view>

namespace mailsift::stages {

/// Converts a domain to lower-case A-labels with libidn2 (UTS #46 non-transitional mapping, NFC),
/// e.g. "例子.广告" -> "xn--fsqu00a.xn--4rr70v". Validates "xn--" labels of ASCII input too.
/// Returns false, leaving `out` unspecified, when the name is not a valid IDN. Thread-safe.
bool domainToAscii(std::string_view domain, std::string& out);

}  // namespace mailsift::stages
