#pragma once

#include <filesystem>
#include <string>

namespace mailsift::testing {

/// Runs `script` (Python using xlwt; argv[1] is `file`, argv[2] is `argument`) with Debian's
/// python3-xlwt to write `file`; false when python3 or xlwt is missing or the script fails.
bool writeXlsWithScript(const std::filesystem::path& file, const std::string& script,
                        const std::string& argument = "");

/// Writes a one-sheet .xls (BIFF8) with `rows` addresses user<N>@example.com under an `email`
/// header, with Debian's python3-xlwt; false when python3 or xlwt is missing.
bool writeXlsWithEmails(const std::filesystem::path& file, int rows);

}  // namespace mailsift::testing
