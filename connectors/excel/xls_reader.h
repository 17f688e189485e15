#pragma once

#include <cstddef>
#include <string>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

/// Reads the first sheet of a legacy .xls (BIFF) workbook with libfreexl into rows, with the same
/// header, email column and blank-row rules as CSV (EmailColumn). Cell values: strings as UTF-8,
/// integers and doubles in their shortest form ("42", "3.5"), dates and times as freexl writes
/// them ("2024-05-17"). freexl needs a file path and reads the whole workbook, so memory follows
/// the file size (an .xls is at most 65536 rows by 256 columns).
///
/// Errors are ConnectorError: badInput for a file freexl refuses (naming its error), a
/// password-protected workbook or one without sheets; tooLarge for a cell over `maxCellBytes`.
/// Stops early when sink.stopRequested(). Immutable and thread-safe (each read has its handle).
class XlsReader {
  public:
    explicit XlsReader(std::size_t maxCellBytes = 128 * 1024) : maxCellBytes_(maxCellBytes) {}

    void read(const std::string& path, RowSink& sink) const;

  private:
    std::size_t maxCellBytes_;
};

}  // namespace mailsift::connectors::excel
