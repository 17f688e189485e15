// The .xls path of the excel connector on arbitrary bytes, as the server runs it: XlsReader spawns
// the real mailsift-xls-reader (libfreexl, confined, built with the same sanitizers) on a temp
// file and decodes its frames. A libfreexl over-read now ends the child (ASan aborts it), and the
// promise checked here is the server's: only a ConnectorError with a message, no cell over the
// limit, the child always reaped.
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

/// True when a mailsift-xls-reader child of this process still exists. (Not any child: libFuzzer
/// keeps an llvm-symbolizer child for its reports.)
bool readerChildLeft() {
    std::ifstream tasks("/proc/self/task/" + std::to_string(::getpid()) + "/children");
    pid_t child = 0;
    while (tasks >> child) {
        std::ifstream comm("/proc/" + std::to_string(child) + "/comm");
        std::string name;
        std::getline(comm, name);
        if (name.rfind("mailsift-xls", 0) == 0)
            return true;
    }
    return false;
}

mailsift::connectors::excel::XlsReader makeReader() {
    mailsift::connectors::excel::XlsLimits limits;
    limits.executable = MAILSIFT_XLS_READER_BINARY;
    limits.maxCellBytes = kMaxCell;
    limits.timeout = std::chrono::milliseconds(5000);  // below libFuzzer's -timeout=10
    return mailsift::connectors::excel::XlsReader(limits);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    {
        std::ofstream out(spoolPath(), std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    static const mailsift::connectors::excel::XlsReader reader = makeReader();
    Sink sink;
    try {
        reader.read(spoolPath(), sink);
    } catch (const mailsift::ConnectorError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
        FUZZ_CHECK(error.kind() != mailsift::ConnectorError::Kind::unavailable,
                   "the reader could be started");
    }
    FUZZ_CHECK(!readerChildLeft(), "no reader child is left (running or zombie)");
    return 0;
}
