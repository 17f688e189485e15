#pragma once

#include <istream>
#include <string>
#include <utility>

#include "excel/xls_reader.h"
#include "excel/xlsx_reader.h"
#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

/// Reads an Excel upload of either kind, chosen by its first bytes and never by its name:
/// `PK\x03\x04` is .xlsx (XlsxReader), `D0 CF 11 E0` is .xls (XlsReader); anything else is
/// ConnectorError badInput "The file is neither .xlsx nor .xls".
///
/// A stream that cannot seek (an upload read as it arrives) is first copied to a SpoolFile in
/// `spoolFolder` (the system temp folder when empty); .xls always is, since libfreexl wants a
/// path. `xls` says how .xls files are read (its maxCellBytes is taken from `limits`).
/// Immutable and thread-safe.
class ExcelReader {
  public:
    ExcelReader(XlsxLimits limits, std::string spoolFolder, XlsLimits xls = {})
        : limits_(limits), spoolFolder_(std::move(spoolFolder)), xls_(withCellLimit(xls, limits)) {}

    void read(std::istream& in, RowSink& sink) const;

  private:
    static XlsLimits withCellLimit(XlsLimits xls, const XlsxLimits& limits) {
        xls.maxCellBytes = limits.maxCellBytes;
        return xls;
    }

    XlsxLimits limits_;
    std::string spoolFolder_;
    XlsReader xls_;
};

}  // namespace mailsift::connectors::excel
