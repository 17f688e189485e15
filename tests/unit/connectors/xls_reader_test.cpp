// XlsReader: libfreexl in the spawned mailsift-xls-reader. libfreexl only reads, so the sample
// workbook is written at test time with python3-xlwt when that is installed; without it those
// tests are skipped, not failed. The failure tests run small shell scripts in place of the reader
// (the xls_reader setting), which behave the way a broken or subverted reader would.
#include "excel/xls_reader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "collecting_sink.h"
#include "excel/excel_reader.h"
#include "support/temp_dir.h"
#include "support/xls_workbook.h"

namespace mailsift::connectors::excel {
namespace {

using testing::CollectingSink;
using mailsift::testing::TempDir;
using mailsift::testing::writeXlsWithScript;
using Kind = ConnectorError::Kind;
using Rows = std::vector<std::string>;

/// The real reader built beside the connector plugin.
XlsLimits readerLimits(std::vector<std::string>* warnings = nullptr) {
    XlsLimits limits;
    limits.executable = MAILSIFT_XLS_READER_BINARY;
    if (warnings != nullptr)
        limits.warn = [warnings](std::string_view message) { warnings->emplace_back(message); };
    return limits;
}

/// A fresh temp folder (removed at the end of the test), as a std::filesystem::path.
class TempFolder {
  public:
    std::filesystem::path path() const { return dir_.path(); }

  private:
    TempDir dir_;
};

/// Writes a two-sheet .xls with python3-xlwt; returns false when python3 or xlwt is missing.
bool writeSampleXls(const std::filesystem::path& file) {
    return writeXlsWithScript(file,
                              "import sys, datetime, xlwt\n"
                              "book = xlwt.Workbook(encoding='utf-8')\n"
                              "s = book.add_sheet('Emails')\n"
                              "rows = [['name', 'E-mail', 'EMAIL'],\n"
                              "        ['Ann \\u00dc', 'x', 'ann@example.com'],\n"
                              "        ['Bob', 'y', 42],\n"
                              "        [],\n"
                              "        ['Cy', 'z', 3.5],\n"
                              "        ['Di', 'w', None]]\n"
                              "for r, row in enumerate(rows):\n"
                              "    for c, v in enumerate(row):\n"
                              "        if v is not None: s.write(r, c, v)\n"
                              "s.write(6, 2, datetime.date(2024, 5, 17),\n"
                              "        xlwt.easyxf(num_format_str='YYYY-MM-DD'))\n"
                              "book.add_sheet('Second').write(0, 0, 'wrong@sheet.test')\n"
                              "book.save(sys.argv[1])\n");
}

TEST(XlsReader, ReadsTheFirstSheet) {
    TempFolder folder;
    const std::filesystem::path file = folder.path() / "sample.xls";
    if (!writeSampleXls(file))
        GTEST_SKIP() << "python3-xlwt is not installed; cannot write a sample .xls";
    CollectingSink sink;
    XlsReader(readerLimits()).read(file.string(), sink);
    EXPECT_EQ(sink.rows, (Rows{"ann@example.com", "42", "3.5", "", "2024-05-17"}));

    // The same file through the format sniffing, from a stream that is not a file.
    std::ifstream bytes(file, std::ios::binary);
    std::stringstream copy;
    copy << bytes.rdbuf();
    CollectingSink sniffed;
    ExcelReader({}, folder.path().string(), readerLimits()).read(copy, sniffed);
    EXPECT_EQ(sniffed.rows, sink.rows);
}

TEST(XlsReader, GarbageIsBadInput) {
    TempFolder folder;
    const std::filesystem::path file = folder.path() / "garbage.xls";
    std::ofstream(file, std::ios::binary)
        << std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) << std::string(4000, '\x5A');
    CollectingSink sink;
    try {
        XlsReader(readerLimits()).read(file.string(), sink);
        FAIL() << "no error";
    } catch (const ConnectorError& error) {
        EXPECT_EQ(error.kind(), Kind::badInput);
        EXPECT_NE(std::string(error.what()).find("not a valid .xls workbook"), std::string::npos)
            << error.what();
    }

    std::istringstream in(std::string("\xD0\xCF\x11\xE0", 4) + std::string(100, '\0'));
    EXPECT_THROW(ExcelReader({}, folder.path().string(), readerLimits()).read(in, sink),
                 ConnectorError);
    for (const auto& entry : std::filesystem::directory_iterator(folder.path()))
        EXPECT_EQ(entry.path().filename().string().rfind("mailsift-upload-", 0), std::string::npos)
            << "spool files are removed: " << entry.path();
}

/// Writes an executable shell script that stands in for the reader.
std::string fakeReader(const std::filesystem::path& folder, const std::string& body) {
    const std::filesystem::path file = folder / "fake-reader.sh";
    std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
    ::chmod(file.c_str(), 0700);
    return file.string();
}

/// True when this process has no child left (running or zombie).
bool noChildLeft() {
    int status = 0;
    return ::waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

/// True when a process of group `group` is still alive (zombies waiting for init do not count).
bool groupHasLiveMembers(pid_t group) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        std::ifstream in(entry.path() / "stat");
        std::string line;
        std::getline(in, line);
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos)
            continue;
        std::istringstream fields(line.substr(close + 1));
        char state = 0;
        pid_t parent = 0;
        pid_t processGroup = 0;
        fields >> state >> parent >> processGroup;
        if (processGroup == group && state != 'Z')
            return true;
    }
    return false;
}

struct Outcome {
    bool thrown = false;
    Kind kind = Kind::badInput;
    std::string message;
    std::vector<std::string> warnings;
    std::vector<std::string> rows;
};

Outcome readWith(const std::string& executable, const std::string& file,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    Outcome out;
    XlsLimits limits = readerLimits(&out.warnings);
    limits.executable = executable;
    limits.timeout = timeout;
    CollectingSink sink;
    try {
        XlsReader(limits).read(file, sink);
    } catch (const ConnectorError& error) {
        out.thrown = true;
        out.kind = error.kind();
        out.message = error.what();
    }
    out.rows = sink.rows;
    return out;
}

std::string allWarnings(const Outcome& outcome) {
    std::string text;
    for (const std::string& warning : outcome.warnings)
        text += warning + "\n";
    return text;
}

const std::string kUnreadable =
    "the .xls file could not be read; open it in a spreadsheet program, save it as .xlsx or CSV "
    "and upload that";

TEST(XlsReader, ACellOverTheLimitIsTooLarge) {
    TempFolder folder;
    const std::filesystem::path file = folder.path() / "sample.xls";
    if (!writeSampleXls(file))
        GTEST_SKIP() << "python3-xlwt is not installed; cannot write a sample .xls";
    XlsxLimits limits;
    limits.maxCellBytes = 4;
    std::ifstream in(file, std::ios::binary);
    CollectingSink sink;
    try {
        ExcelReader(limits, folder.path().string(), readerLimits()).read(in, sink);
        FAIL() << "no error";
    } catch (const ConnectorError& error) {
        EXPECT_EQ(error.kind(), Kind::tooLarge);
        EXPECT_STREQ(error.what(), "a cell in row 1 is longer than the limit of 4 bytes");
    }
}

TEST(XlsReader, TheChildsOutcomesBecomeTheServersSentences) {
    // The child only sends codes; every sentence is the server's. printf writes one end frame.
    TempFolder folder;
    struct Case {
        const char* frame;  // printf format of the end frame
        Kind kind;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"E\\011\\0\\0\\0\\002\\0\\0\\0\\0\\0\\0\\0\\0", Kind::badInput,
         "the workbook is protected by a password; save it without one"},
        {"E\\011\\0\\0\\0\\003\\0\\0\\0\\0\\0\\0\\0\\0", Kind::badInput,
         "the workbook's first sheet could not be found"},
        {"E\\011\\0\\0\\0\\001\\354\\377\\377\\377\\0\\0\\0\\0", Kind::badInput,
         "the file is not a valid .xls workbook: freexl error -20; open it in a spreadsheet "
         "program, save it as .xlsx or CSV and upload that"},
        {"E\\011\\0\\0\\0\\004\\375\\377\\377\\377\\007\\0\\0\\0", Kind::badInput,
         "the file is not a valid .xls workbook: freexl error -3 in row 7; open it in a "
         "spreadsheet program, save it as .xlsx or CSV and upload that"},
        {"E\\011\\0\\0\\0\\005\\0\\0\\0\\0\\003\\0\\0\\0", Kind::tooLarge,
         "a cell in row 3 is longer than the limit of 131072 bytes"},
    };
    for (const Case& c : cases) {
        const Outcome outcome =
            readWith(fakeReader(folder.path(), std::string("printf '") + c.frame + "'"), "x");
        EXPECT_TRUE(outcome.thrown) << c.message;
        EXPECT_EQ(outcome.kind, c.kind) << c.message;
        EXPECT_EQ(outcome.message, c.message);
    }
}

TEST(XlsReader, AReaderThatCannotConfineItselfIsUnavailableNotBadInput) {
    // The real reader refuses a memory limit of 0 (no usable value) before it opens anything.
    XlsLimits limits = readerLimits();
    std::vector<std::string> warnings;
    limits.warn = [&warnings](std::string_view message) { warnings.emplace_back(message); };
    limits.maxMemoryBytes = 0;
    CollectingSink sink;
    try {
        XlsReader(limits).read("/nonexistent.xls", sink);
        FAIL() << "no error";
    } catch (const ConnectorError& error) {
        EXPECT_EQ(error.kind(), Kind::unavailable) << error.what();
    }
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("bad value for --max-memory-bytes: 0"), std::string::npos)
        << warnings[0];
    EXPECT_NE(warnings[0].find("exit code 2"), std::string::npos) << warnings[0];
}

TEST(XlsReader, AChildThatDiesOfASignalIsBadInputAndLogged) {
    TempFolder folder;
    const Outcome outcome = readWith(
        fakeReader(folder.path(), "echo 'reader: about to crash' >&2\nkill -SEGV $$"), "x");
    EXPECT_TRUE(outcome.thrown);
    EXPECT_EQ(outcome.kind, Kind::badInput);
    EXPECT_EQ(outcome.message, kUnreadable);
    const std::string warnings = allWarnings(outcome);
    EXPECT_NE(warnings.find("signal 11"), std::string::npos) << warnings;
    EXPECT_NE(warnings.find("reader: about to crash"), std::string::npos) << warnings;
    EXPECT_TRUE(noChildLeft());
}

TEST(XlsReader, AChildThatWritesGarbageOrNoEndIsBadInput) {
    TempFolder folder;
    struct Case {
        std::string body;
        std::string logged;
    };
    const std::vector<Case> cases = {
        {"echo hello", "unknown frame type 'h'"},
        {"exit 0", "the output ends without an end frame"},
        {"printf 'R\\0\\0\\0\\0C\\377\\377\\377\\177'", "a 'C' frame of 2147483647 bytes"},
        {"printf 'R\\0\\0\\0\\0E\\011\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0'\nexit 3",
         "ended with exit code 3 after its end frame"},
        {"printf 'E\\011\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0R'", "bytes follow the end frame"},
    };
    for (const Case& c : cases) {
        const Outcome outcome = readWith(fakeReader(folder.path(), c.body), "x");
        EXPECT_TRUE(outcome.thrown) << c.body;
        EXPECT_EQ(outcome.kind, Kind::badInput) << c.body;
        EXPECT_EQ(outcome.message, kUnreadable) << c.body;
        EXPECT_NE(allWarnings(outcome).find(c.logged), std::string::npos)
            << c.body << ": " << allWarnings(outcome);
    }
    EXPECT_TRUE(noChildLeft());
}

TEST(XlsReader, AHangingChildAndWhatItStartedAreKilledAtTheTimeout) {
    TempFolder folder;
    const std::filesystem::path pidFile = folder.path() / "pid";
    const std::string reader = fakeReader(
        folder.path(), "echo $$ > '" + pidFile.string() + "'\n/bin/sleep 30 &\nexec /bin/sleep 30");
    const auto start = std::chrono::steady_clock::now();
    const Outcome outcome = readWith(reader, "x", std::chrono::milliseconds(300));
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(outcome.kind, Kind::badInput);
    EXPECT_EQ(outcome.message,
              "reading the .xls file took longer than the limit of 300 ms; save it as .xlsx or "
              "CSV and upload that");
    EXPECT_LT(took, std::chrono::seconds(5));
    EXPECT_NE(allWarnings(outcome).find("ran past the limit of 300 ms"), std::string::npos);
    EXPECT_TRUE(noChildLeft());
    // The background sleep was in the child's process group: it is gone too.
    pid_t group = 0;
    std::ifstream(pidFile) >> group;
    ASSERT_GT(group, 0);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        gone = !groupHasLiveMembers(group);
        if (!gone)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(gone) << "process group " << group << " still has members";
}

TEST(XlsReader, AMissingReaderIsUnavailable) {
    const Outcome outcome = readWith("/nonexistent/mailsift-xls-reader", "x");
    EXPECT_TRUE(outcome.thrown);
    EXPECT_EQ(outcome.kind, Kind::unavailable);
    EXPECT_EQ(outcome.message,
              "the .xls reader of this server could not start; please try again later or upload "
              "the file as .xlsx or CSV");
    EXPECT_NE(allWarnings(outcome).find("could not be started"), std::string::npos);

    const Outcome unset = readWith("", "x");
    EXPECT_EQ(unset.kind, Kind::unavailable);
}

TEST(XlsReader, NothingOfTheServerReachesTheChild) {
    // A descriptor opened without O_CLOEXEC and an environment variable, as a careless library in
    // the server might leave them: the child sees neither.
    TempFolder folder;
    const int leaked = ::open("/dev/null", O_RDONLY);
    ASSERT_GE(leaked, 0);
    ASSERT_EQ(::dup2(leaked, 250), 250);
    ::setenv("MAILSIFT_TEST_SECRET", "s3cret", 1);
    const Outcome outcome =
        readWith(fakeReader(folder.path(),
                            "ls /proc/$$/fd | tr '\\n' ' ' >&2\necho >&2\nenv >&2\n"
                            "echo stdin=$(cat) >&2\nexit 1"),
                 "x");
    ::close(250);
    ::close(leaked);
    ::unsetenv("MAILSIFT_TEST_SECRET");
    const std::string warnings = allWarnings(outcome);
    // 0 1 2, and the shell's own descriptor for its script (dash: 10).
    EXPECT_NE(warnings.find("standard error: 0 1 "), std::string::npos) << warnings;
    EXPECT_NE(warnings.find("(exit code 1)"), std::string::npos) << warnings;
    EXPECT_EQ(warnings.find(" 250 "), std::string::npos) << warnings;
    EXPECT_EQ(warnings.find("s3cret"), std::string::npos) << warnings;
    EXPECT_NE(warnings.find("| stdin=\n"), std::string::npos) << warnings;  // /dev/null: empty
    EXPECT_EQ(warnings.find("\n"), warnings.size() - 1) << "one line: " << warnings;
}

TEST(XlsReader, StandardErrorIsKeptOnlyUpToItsLimit) {
    TempFolder folder;
    const Outcome outcome =
        readWith(fakeReader(folder.path(),
                            "i=0\nwhile [ $i -lt 2000 ]; do echo "
                            "0123456789012345678901234567890123456789012345678 >&2; "
                            "i=$((i+1)); done\nexit 1"),
                 "x");
    EXPECT_EQ(outcome.message, kUnreadable);
    ASSERT_EQ(outcome.warnings.size(), 1u);
    EXPECT_LT(outcome.warnings[0].size(), 4096u + 300u);
    EXPECT_GT(outcome.warnings[0].size(), 4096u);
}

class ThrowingSink final : public RowSink {
  public:
    void row(std::string_view) override { throw std::runtime_error("the store went away"); }
    bool stopRequested() const override { return false; }
};

TEST(XlsReader, TheChildIsReapedWhenTheSinkStopsOrThrows) {
    TempFolder folder;
    const std::filesystem::path file = folder.path() / "large.xls";
    if (!mailsift::testing::writeXlsWithEmails(file, 20000))
        GTEST_SKIP() << "python3-xlwt is not installed; cannot write a sample .xls";
    CollectingSink firstTwo(2);
    XlsReader(readerLimits()).read(file.string(), firstTwo);
    EXPECT_EQ(firstTwo.rows, (Rows{"user1@example.com", "user2@example.com"}));
    EXPECT_TRUE(noChildLeft());

    ThrowingSink throwing;
    EXPECT_THROW(XlsReader(readerLimits()).read(file.string(), throwing), std::runtime_error);
    EXPECT_TRUE(noChildLeft());

    testing::CountingSink all;
    XlsReader(readerLimits()).read(file.string(), all);
    EXPECT_EQ(all.count, 20000u);
}

}  // namespace
}  // namespace mailsift::connectors::excel
