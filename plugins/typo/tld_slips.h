#pragma once

#include <string_view>

namespace mailsift::stages::typo {

/// The TLD meant by a slip that is not a real TLD ("con" -> "com", "ogr" -> "org"), or "" when
/// `tld` is not a known slip. Slips that are real ccTLDs (.om Oman, .co Colombia, .cm Cameroon)
/// are deliberately absent: those are only corrected towards a well-known provider.
std::string_view correctTld(std::string_view tld);

}  // namespace mailsift::stages::typo
