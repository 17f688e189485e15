// The .xlsx reader (connectors/excel: zip index, entry streams, XML SAX) on arbitrary bytes:
// rows or a ConnectorError, nothing else. Limits are small so that zip bombs stop early.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "excel/xlsx_reader.h"
#include "fuzz_check.h"

namespace {

constexpr std::size_t kMaxCell = 4096;

class Sink final : public mailsift::RowSink {
  public:
    void row(std::string_view cell) override {
        FUZZ_CHECK(cell.size() <= kMaxCell, "a cell over maxCellBytes reached the sink");
        ++rows;
    }
    bool stopRequested() const override { return rows >= 10000; }
    std::size_t rows = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    mailsift::connectors::excel::XlsxLimits limits;
    limits.zip.maxDecompressedBytes = 8 << 20;
    limits.zip.maxEntries = 64;
    limits.maxCellBytes = kMaxCell;
    const mailsift::connectors::excel::XlsxReader reader(limits);
    std::stringstream in(std::string(reinterpret_cast<const char*>(data), size));
    Sink sink;
    try {
        reader.read(in, sink);
    } catch (const mailsift::ConnectorError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
