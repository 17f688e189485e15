#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

/// How .xls files are read: by which executable, within which limits.
struct XlsLimits {
    /// mailsift-xls-reader (xls_child/); "" = not available (an .xls upload answers 503).
    std::string executable;
    std::size_t maxCellBytes = 128 * 1024;
    /// Address space of the child (RLIMIT_AS); its CPU time is capped at the timeout too.
    std::size_t maxMemoryBytes = 512 * 1024 * 1024;
    std::chrono::milliseconds timeout{30000};
    /// Where the reader reports a child that failed (exit status, signal, standard error).
    std::function<void(std::string_view)> warn;
};

/// Reads the first sheet of a legacy .xls (BIFF) workbook into rows, with the same header, email
/// column and blank-row rules as CSV (EmailColumn). libfreexl, which does the reading, never runs
/// in the server: each read spawns `limits.executable` (mailsift-xls-reader) on the file, which
/// confines itself (memory, CPU, no files, no privileges) and sends the cells back as frames
/// (xls_frame.h) that XlsFrameDecoder checks strictly. A crash or an over-read in libfreexl thus
/// stays in a fresh process that holds only this upload.
///
/// Cell values: strings as UTF-8, integers and doubles in their shortest form ("42", "3.5"),
/// dates and times as freexl writes them ("2024-05-17").
///
/// Errors are ConnectorError: badInput for a file freexl refuses (naming its error), a
/// password-protected workbook or one without sheets, a child that crashes, misbehaves or runs
/// past the timeout; tooLarge for a cell over maxCellBytes; unavailable when the executable
/// cannot be started. The child is always reaped, also when the sink stops early or throws.
/// Immutable and thread-safe (each read has its own child).
class XlsReader {
  public:
    explicit XlsReader(XlsLimits limits) : limits_(std::move(limits)) {}

    void read(const std::string& path, RowSink& sink) const;

  private:
    XlsLimits limits_;
};

}  // namespace mailsift::connectors::excel
