#pragma once

#include <istream>
#include <string>
#include <utility>

#include "excel/xlsx_reader.h"
#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

/// Reads an Excel upload of either kind, chosen by its first bytes and never by its name:
/// `PK\x03\x04` is .xlsx (XlsxReader), `D0 CF 11 E0` is .xls (XlsReader); anything else is
/// ConnectorError badInput "The file is neither .xlsx nor .xls".
///
/// A stream that cannot seek (an upload read as it arrives) is first copied to a SpoolFile in
/// `spoolFolder` (the system temp folder when empty); .xls always is, since libfreexl wants a
/// path. Immutable and thread-safe.
class ExcelReader {
  public:
    ExcelReader(XlsxLimits limits, std::string spoolFolder)
        : limits_(limits), spoolFolder_(std::move(spoolFolder)) {}

    void read(std::istream& in, RowSink& sink) const;

  private:
    XlsxLimits limits_;
    std::string spoolFolder_;
};

}  // namespace mailsift::connectors::excel
