// mailsift-xls-reader: reads the first sheet of one .xls file with libfreexl and writes it to
// standard output as frames (excel/xls_frame.h), for XlsReader in the excel connector. It
// confines itself before opening the file, so a libfreexl bug on a hostile upload stays inside
// this process, which holds nothing but that upload.
//
//   mailsift-xls-reader --max-cell-bytes N --max-memory-bytes N --cpu-seconds N -- FILE
//
// Exit codes: 0 an end frame was written (the outcome is in it), 1 the output could not be
// written, 2 bad arguments or the confinement failed (an end frame setupFailed is written then).
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "confinement.h"
#include "excel/xls_frame.h"
#include "sheet_writer.h"

namespace {

namespace child = mailsift::connectors::excel::child;
using mailsift::connectors::excel::XlsOutcome;

bool parseNumber(std::string_view text, std::size_t& out) {
    const auto result = std::from_chars(text.data(), text.data() + text.size(), out);
    return result.ec == std::errc() && result.ptr == text.data() + text.size() && out > 0;
}

int setupFailed(const std::string& why) {
    std::fprintf(stderr, "mailsift-xls-reader: %s\n", why.c_str());
    std::string frame;
    mailsift::connectors::excel::xls_frame::appendEnd(frame, XlsOutcome::setupFailed);
    [[maybe_unused]] const ssize_t ignored = ::write(STDOUT_FILENO, frame.data(), frame.size());
    return 2;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
#define MAILSIFT_READER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAILSIFT_READER_ASAN 1
#endif
#endif
#ifdef MAILSIFT_READER_ASAN
/// Sanitizer builds: the confined reader cannot start llvm-symbolizer (Landlock), and ASan would
/// die of SIGPIPE on the symbolizer's pipe halfway through its report; raw frames instead
/// (asan_symbolize turns them into names).
extern "C" const char* __asan_default_options() {
    return "symbolize=0";
}
#endif

int main(int argc, char** argv) {
    std::size_t maxCellBytes = 128 * 1024;
    std::size_t cpuSeconds = 30;
    child::ConfinementLimits limits;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        const std::string_view option = argv[i];
        if (option == "--" && i + 2 == argc) {
            path = argv[i + 1];
            break;
        }
        if (i + 1 == argc)
            return setupFailed(
                "usage: mailsift-xls-reader --max-cell-bytes N "
                "--max-memory-bytes N --cpu-seconds N -- FILE");
        const std::string_view value = argv[++i];
        std::size_t* target = option == "--max-cell-bytes"     ? &maxCellBytes
                              : option == "--max-memory-bytes" ? &limits.maxMemoryBytes
                              : option == "--cpu-seconds"      ? &cpuSeconds
                                                               : nullptr;
        if (target == nullptr)
            return setupFailed("unknown option " + std::string(option));
        if (!parseNumber(value, *target))
            return setupFailed("bad value for " + std::string(option) + ": " + std::string(value));
    }
    if (path.empty())
        return setupFailed("no file given (the file comes last, after --)");
    limits.cpuSeconds = static_cast<unsigned>(std::min<std::size_t>(cpuSeconds, 86400));
    if (const std::string failed = child::confine(limits, path); !failed.empty())
        return setupFailed(failed);
    return child::writeFirstSheet(path, maxCellBytes, STDOUT_FILENO) ? 0 : 1;
}
