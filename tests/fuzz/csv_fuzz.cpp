// The CSV reader (connectors/file) on arbitrary bytes: rows or a ConnectorError, never a crash,
// another exception or a field over the limit. Small limits so that the limit paths are reached.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "file/csv_reader.h"
#include "fuzz_check.h"

namespace {

constexpr std::size_t kMaxField = 512;

class Sink final : public mailsift::RowSink {
  public:
    void row(std::string_view cell) override {
        FUZZ_CHECK(cell.size() <= kMaxField, "a cell over maxFieldBytes reached the sink");
        ++rows;
    }
    bool stopRequested() const override { return rows >= 10000; }
    std::size_t rows = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const char delimiter = mailsift::connectors::file::CsvReader::detectDelimiter(text);
    FUZZ_CHECK(delimiter == '\0' || delimiter == ',' || delimiter == ';' || delimiter == '\t' ||
                   delimiter == '|',
               "a known delimiter");
    const mailsift::connectors::file::CsvReader reader({2048, kMaxField});
    std::istringstream in(text);
    Sink sink;
    try {
        reader.read(in, sink);
    } catch (const mailsift::ConnectorError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
