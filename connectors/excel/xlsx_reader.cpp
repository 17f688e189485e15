#include "excel/xlsx_reader.h"

#include "common/email_column.h"
#include "excel/shared_strings.h"
#include "excel/sheet_handler.h"
#include "excel/workbook_layout.h"
#include "excel/xml_part.h"
#include "excel/zip_index.h"

namespace mailsift::connectors::excel {

void XlsxReader::read(std::istream& in, RowSink& sink) const {
    ZipIndex zip(in, limits_.zip);
    const WorkbookLayout layout = findWorkbookLayout(zip);
    const SharedStrings strings =
        layout.sharedStrings.empty()
            ? SharedStrings()
            : SharedStrings::read(zip, layout.sharedStrings, limits_.maxCellBytes);
    EmailColumn rows(sink);
    SheetHandler sheet(strings, rows, limits_.maxCellBytes);
    try {
        parseXmlPart(zip, layout.firstSheet, sheet);
    } catch (const SheetHandler::Stop&) {
        // The sink asked for no more rows.
    }
}

}  // namespace mailsift::connectors::excel
