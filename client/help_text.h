#pragma once

#include <string>

namespace mailsift::client {

/// The --help text of `mailsift` (command "") or of one command ("validate", "jobs",
/// "jobs create", ...). Unknown commands get the general text.
std::string helpText(const std::string& command);

}  // namespace mailsift::client
