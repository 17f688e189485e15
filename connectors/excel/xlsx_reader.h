#pragma once

#include <cstddef>
#include <istream>

#include "excel/zip_entry.h"
#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

/// Limits of one .xlsx read.
struct XlsxLimits {
    ZipLimits zip;
    std::size_t maxCellBytes = 128 * 1024;  ///< one cell's text; Excel itself stops at 32767 chars
};

/// Streams the first sheet of an .xlsx workbook into rows: finds it through the package
/// relationships (WorkbookLayout), loads the shared strings, then runs the sheet through a SAX
/// parser (SheetHandler) into EmailColumn, so header, email column and blank rows follow the same
/// rules as CSV. Memory: the shared string table plus constant parser state; the sheet itself is
/// never held whole.
///
/// `in` must be seekable (an ifstream or a stringstream) and positioned at the archive's first
/// byte; the excel connector spools other streams to a file first. Errors are ConnectorError:
/// badInput for anything that is not a well-formed workbook (including any DOCTYPE), tooLarge for
/// the limits. Stops early when sink.stopRequested(). Immutable, so one reader may serve many
/// threads.
class XlsxReader {
  public:
    explicit XlsxReader(XlsxLimits limits = {}) : limits_(limits) {}

    void read(std::istream& in, RowSink& sink) const;

  private:
    XlsxLimits limits_;
};

}  // namespace mailsift::connectors::excel
