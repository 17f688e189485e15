#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mailsift::stages {

/// What a list file holds; domains get IDNA treatment, local parts do not.
enum class ListKind { domains, localParts };

/// Reads a list file: one entry a line, '#' starts a comment line, blank lines and surrounding
/// white space are ignored, ASCII is lower-cased. Domain entries lose one trailing dot and
/// non-ASCII ones are converted to A-labels (an entry that is no valid IDN is skipped).
/// Throws std::runtime_error naming the file, the config key and the plugin when the file cannot
/// be read, so that start-up stops with a sentence the operator can act on.
std::vector<std::string> readListFile(const std::string& path, ListKind kind,
                                      std::string_view configKey, std::string_view pluginName);

}  // namespace mailsift::stages
