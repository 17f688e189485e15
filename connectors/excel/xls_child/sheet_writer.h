#pragma once

#include <cstddef>
#include <string>

namespace mailsift::connectors::excel::child {

/// Reads the first sheet of the .xls file at `path` with libfreexl and writes it to file
/// descriptor `fd` as frames (excel/xls_frame.h): a row frame per row, a cell frame per non-empty
/// cell, and one end frame with the outcome. Returns false when writing failed (the reader went
/// away); the caller then exits non-zero.
bool writeFirstSheet(const std::string& path, std::size_t maxCellBytes, int fd);

}  // namespace mailsift::connectors::excel::child
