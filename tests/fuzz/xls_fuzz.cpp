// The .xls reader (connectors/excel over libfreexl) on arbitrary bytes. freexl wants a path, so
// each input is written to one temp file first, as the connector spools uploads.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "excel/xls_reader.h"
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

/// The temp file every input goes through; removed at exit.
const std::string& spoolPath() {
    static const std::string path = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mailsift-xls-fuzz-XXXXXX";
        const int fd = ::mkstemp(pattern.data());
        FUZZ_CHECK(fd >= 0, "a temp file");
        ::close(fd);
        std::atexit([] { ::unlink(spoolPath().c_str()); });
        return pattern;
    }();
    return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(spoolPath(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    const mailsift::connectors::excel::XlsReader reader(kMaxCell);
    Sink sink;
    try {
        reader.read(spoolPath(), sink);
    } catch (const mailsift::ConnectorError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
