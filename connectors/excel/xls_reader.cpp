#include "excel/xls_reader.h"

#include <freexl.h>

#include <array>
#include <charconv>
#include <memory>
#include <string_view>

#include "common/email_column.h"

namespace mailsift::connectors::excel {
namespace {

using Kind = ConnectorError::Kind;

struct HandleCloser {
    void operator()(const void* handle) const { freexl_close(handle); }
};
using Handle = std::unique_ptr<const void, HandleCloser>;

ConnectorError invalid(const std::string& why) {
    return ConnectorError(Kind::badInput, "the file is not a valid .xls workbook: " + why);
}

/// The text of one cell, or false for an empty one. `scratch` holds formatted numbers.
bool cellText(const FreeXL_CellValue& cell, std::array<char, 64>& scratch, std::string_view& out) {
    switch (cell.type) {
        case FREEXL_CELL_INT: {
            const auto result = std::to_chars(scratch.data(), scratch.data() + scratch.size(),
                                              cell.value.int_value);
            out = std::string_view(scratch.data(),
                                   static_cast<std::size_t>(result.ptr - scratch.data()));
            return true;
        }
        case FREEXL_CELL_DOUBLE: {
            const auto result = std::to_chars(scratch.data(), scratch.data() + scratch.size(),
                                              cell.value.double_value);
            out = std::string_view(scratch.data(),
                                   static_cast<std::size_t>(result.ptr - scratch.data()));
            return true;
        }
        case FREEXL_CELL_TEXT:
        case FREEXL_CELL_SST_TEXT:
        case FREEXL_CELL_DATE:
        case FREEXL_CELL_DATETIME:
        case FREEXL_CELL_TIME:
            if (cell.value.text_value == nullptr)
                return false;
            out = cell.value.text_value;
            return true;
        default:
            return false;
    }
}

}  // namespace

void XlsReader::read(const std::string& path, RowSink& sink) const {
    const void* raw = nullptr;
    const int opened = freexl_open(path.c_str(), &raw);
    Handle handle(raw);
    if (opened != FREEXL_OK || raw == nullptr)
        throw invalid("freexl error " + std::to_string(opened));

    unsigned int info = 0;
    if (freexl_get_info(raw, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED)
        throw ConnectorError(Kind::badInput,
                             "the workbook is protected by a password; save it without one");
    unsigned int sheets = 0;
    if (freexl_get_info(raw, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0 ||
        freexl_select_active_worksheet(raw, 0) != FREEXL_OK)
        throw ConnectorError(Kind::badInput, "the workbook's first sheet could not be found");
    unsigned int rowCount = 0;
    unsigned short columnCount = 0;
    if (freexl_worksheet_dimensions(raw, &rowCount, &columnCount) != FREEXL_OK)
        throw ConnectorError(Kind::badInput, "the workbook's first sheet could not be found");

    EmailColumn rows(sink);
    std::array<char, 64> scratch{};
    for (unsigned int row = 0; row < rowCount; ++row) {
        rows.beginRow();
        for (unsigned short column = 0; column < columnCount; ++column) {
            FreeXL_CellValue cell{};
            const int status = freexl_get_cell_value(raw, row, column, &cell);
            if (status != FREEXL_OK)
                throw invalid("freexl error " + std::to_string(status) + " in row " +
                              std::to_string(row + 1));
            std::string_view text;
            if (!cellText(cell, scratch, text))
                continue;
            if (text.size() > maxCellBytes_)
                throw ConnectorError(Kind::tooLarge, "a cell in row " + std::to_string(row + 1) +
                                                         " is longer than the limit of " +
                                                         std::to_string(maxCellBytes_) + " bytes");
            rows.cell(column, text);
        }
        if (!rows.endRow())
            return;
    }
}

}  // namespace mailsift::connectors::excel
