#pragma once

#include <filesystem>

namespace mailsift::testing {

/// Writes a one-sheet .xls (BIFF8) with `rows` addresses user<N>@example.com under an `email`
/// header, with Debian's python3-xlwt; false when python3 or xlwt is missing.
bool writeXlsWithEmails(const std::filesystem::path& file, int rows);

}  // namespace mailsift::testing
