#pragma once

#include <cstddef>
#include <istream>
#include <string_view>

#include "mailsift/connector.h"

namespace mailsift::connectors::file {

/// Limits of one CSV read; both give ConnectorError::Kind::tooLarge when passed.
struct CsvLimits {
    std::size_t maxLineBytes = 65536;   ///< one record, quoted line breaks included
    std::size_t maxFieldBytes = 65536;  ///< one field after unquoting
};

/// Streams a CSV file into rows (API.md, "Validation jobs"):
///
/// - An optional UTF-8 byte order mark is skipped.
/// - The delimiter is found on the first non-empty line, outside quotes: the most frequent of
///   `,` `;` TAB `|` (ties go to that order, so comma wins); with none of them the file has one
///   column.
/// - RFC 4180 quoting: a field that starts with `"` runs to the next lone `"`, `""` is a quote
///   and line breaks inside are kept. Text after the closing quote, or a quote inside an unquoted
///   field, is kept as it is (the lenient reading spreadsheets use).
/// - Records end at CRLF, LF or a lone CR.
/// - The email column and the header are picked by EmailColumn (common/email_column.h); blank
///   lines are skipped.
///
/// Memory stays constant whatever the file size: the input is read in 64 KiB blocks into one
/// buffer and only the current field is copied. Errors: an unterminated quote is badInput naming
/// the line it opened on; a record or field over the limits is tooLarge naming the line.
/// Stops early when sink.stopRequested(). Immutable, so one reader may serve many threads.
class CsvReader {
  public:
    explicit CsvReader(CsvLimits limits = {}) : limits_(limits) {}

    void read(std::istream& in, RowSink& sink) const;

    /// The delimiter that `firstLine` suggests (see above), or '\0' for a single column. Quotes
    /// are honoured; the text ends at the first line break outside quotes.
    static char detectDelimiter(std::string_view firstLine);

    /// Size of the blocks read from the stream (also the most the reader ever buffers).
    static constexpr std::size_t kBlockBytes = 64 * 1024;

  private:
    CsvLimits limits_;
};

}  // namespace mailsift::connectors::file
