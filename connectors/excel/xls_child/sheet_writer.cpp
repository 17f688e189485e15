#include "sheet_writer.h"

#include <freexl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <memory>
#include <string_view>

#include "excel/xls_frame.h"

namespace mailsift::connectors::excel::child {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

struct HandleCloser {
    void operator()(const void* handle) const { freexl_close(handle); }
};
using Handle = std::unique_ptr<const void, HandleCloser>;

/// Frames collected and written in large pieces.
class FrameWriter {
  public:
    explicit FrameWriter(int fd) : fd_(fd) {}

    std::string& buffer() { return buffer_; }

    bool flushIfFull() { return buffer_.size() < kFlushBytes || flush(); }

    bool flush() {
        std::size_t done = 0;
        while (done < buffer_.size()) {
            const ssize_t wrote = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
            if (wrote < 0 && errno == EINTR)
                continue;
            if (wrote <= 0)
                return false;
            done += static_cast<std::size_t>(wrote);
        }
        buffer_.clear();
        return true;
    }

    bool end(XlsOutcome outcome, std::uint32_t first = 0, std::uint32_t second = 0) {
        xls_frame::appendEnd(buffer_, outcome, first, second);
        return flush();
    }

  private:
    int fd_;
    std::string buffer_;
};

/// The text of one cell, or false for an empty one. `scratch` holds formatted numbers.
bool cellText(const FreeXL_CellValue& cell, std::array<char, 64>& scratch, std::string_view& out) {
    const auto number = [&](auto value) {
        const auto result = std::to_chars(scratch.data(), scratch.data() + scratch.size(), value);
        out =
            std::string_view(scratch.data(), static_cast<std::size_t>(result.ptr - scratch.data()));
        return true;
    };
    switch (cell.type) {
        case FREEXL_CELL_INT:
            return number(cell.value.int_value);
        case FREEXL_CELL_DOUBLE:
            return number(cell.value.double_value);
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

bool writeFirstSheet(const std::string& path, std::size_t maxCellBytes, int fd) {
    FrameWriter writer(fd);
    const void* raw = nullptr;
    const int opened = freexl_open(path.c_str(), &raw);
    Handle handle(raw);
    if (opened != FREEXL_OK || raw == nullptr)
        return writer.end(XlsOutcome::openFailed, static_cast<std::uint32_t>(opened));

    unsigned int info = 0;
    if (freexl_get_info(raw, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED)
        return writer.end(XlsOutcome::password);
    unsigned int sheets = 0;
    if (freexl_get_info(raw, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0 ||
        freexl_select_active_worksheet(raw, 0) != FREEXL_OK)
        return writer.end(XlsOutcome::noSheet);
    unsigned int rowCount = 0;
    unsigned short columnCount = 0;
    if (freexl_worksheet_dimensions(raw, &rowCount, &columnCount) != FREEXL_OK)
        return writer.end(XlsOutcome::noSheet);
    if (rowCount > kXlsMaxRows)
        rowCount = kXlsMaxRows;  // not a BIFF8 sheet; the rest is never read

    std::array<char, 64> scratch{};
    for (unsigned int row = 0; row < rowCount; ++row) {
        xls_frame::appendRow(writer.buffer());
        for (unsigned short column = 0; column < columnCount; ++column) {
            FreeXL_CellValue cell{};
            const int status = freexl_get_cell_value(raw, row, column, &cell);
            if (status != FREEXL_OK)
                return writer.end(XlsOutcome::cellFailed, static_cast<std::uint32_t>(status),
                                  row + 1);
            std::string_view text;
            if (!cellText(cell, scratch, text))
                continue;
            if (text.size() > maxCellBytes)
                return writer.end(XlsOutcome::cellTooLong, 0, row + 1);
            xls_frame::appendCell(writer.buffer(), column, text);
        }
        if (!writer.flushIfFull())
            return false;
    }
    return writer.end(XlsOutcome::ok);
}

}  // namespace mailsift::connectors::excel::child
