#pragma once

#include <string>
#include <string_view>

#include "excel/zip_index.h"

namespace mailsift::connectors::excel {

/// Where the parts this connector needs live inside an .xlsx archive.
struct WorkbookLayout {
    std::string workbook;       ///< e.g. "xl/workbook.xml"
    std::string firstSheet;     ///< e.g. "xl/worksheets/sheet1.xml"; any name works
    std::string sharedStrings;  ///< "" when the workbook has none (openpyxl writes inline strings)
};

/// Follows the package relationships the way Excel does: _rels/.rels names the workbook (falling
/// back to xl/workbook.xml), the workbook's first <sheet> names a relationship id, and the
/// workbook's .rels turns that id (and the sharedStrings relationship) into part names.
/// Throws ConnectorError badInput "the workbook's first sheet could not be found" when any link
/// is missing, plus the errors of parseXmlPart.
WorkbookLayout findWorkbookLayout(ZipIndex& zip);

/// Resolves a relationship target against the folder of the part that owns the relationship:
/// "/xl/a.xml" is absolute; "worksheets/s.xml" from "xl/workbook.xml" is "xl/worksheets/s.xml";
/// "." and ".." segments are folded and %XX escapes decoded. Exposed for tests.
std::string resolvePartName(std::string_view sourcePart, std::string_view rawTarget);

}  // namespace mailsift::connectors::excel
