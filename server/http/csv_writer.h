#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace mailsift::http {

/// Writes CSV (RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote, CR or LF
/// quoted, quotes doubled) through its own buffer to `out`. A cell that a spreadsheet would run as
/// a formula (starting with = + - @ TAB or CR) gets a leading apostrophe first. Does not own
/// `out`; one thread uses it.
class CsvWriter {
  public:
    explicit CsvWriter(std::ostream& out, std::size_t bufferBytes = 64 * 1024);
    /// Flushes what is buffered (errors of `out` are ignored here; call flush() to see them).
    ~CsvWriter();
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    /// Appends one cell to the current row (neutralised and quoted as needed).
    void cell(std::string_view text);
    /// Appends a number cell.
    void cell(long long number);
    /// Ends the current row.
    void endRow();
    /// Writes the buffer to `out`; false once `out` failed (the client went away).
    bool flush();
    /// False once writing to `out` failed.
    bool good() const { return out_.good(); }

  private:
    void separate();

    std::ostream& out_;
    std::size_t bufferBytes_;
    std::string buffer_;
    bool rowStarted_ = false;
};

}  // namespace mailsift::http
