// XlsReader: libfreexl in the spawned mailsift-xls-reader. libfreexl only reads, so the sample
// workbook is written at test time with python3-xlwt when that is installed; without it those
// tests are skipped, not failed. The failure tests run small shell scripts in place of the reader
// (the xls_reader setting), which behave the way a broken or subverted reader would.
#include "excel/xls_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "collecting_sink.h"
#include "excel/excel_reader.h"

namespace mailsift::connectors::excel {
namespace {

using testing::CollectingSink;
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

/// A fresh folder under the system temp folder, removed at the end of the test.
class TempFolder {
  public:
    TempFolder() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "mailsift-xls-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr)
            path_ = pattern;
    }
    ~TempFolder() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

/// Writes a two-sheet .xls with python3-xlwt; returns false when python3 or xlwt is missing.
bool writeSampleXls(const std::filesystem::path& file) {
    const std::filesystem::path script = file.parent_path() / "make.py";
    std::ofstream(script) << "import sys, datetime, xlwt\n"
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
                             "book.save(sys.argv[1])\n";
    // Debian's python3-xlwt lives beside /usr/bin/python3, which a PATH python may shadow.
    for (const char* python : {"/usr/bin/python3", "python3"}) {
        const std::string command =
            std::string(python) + " '" + script.string() + "' '" + file.string() + "' 2>/dev/null";
        if (std::system(command.c_str()) == 0 && std::filesystem::exists(file))
            return true;
    }
    return false;
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

}  // namespace
}  // namespace mailsift::connectors::excel
