// CsvReader: delimiters, BOM, quoting, line endings, header detection, limits, garbage, streaming
// and throughput.
#include "file/csv_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <random>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "collecting_sink.h"

namespace mailsift::connectors::file {
namespace {

using testing::CollectingSink;
using testing::CountingSink;
using Kind = ConnectorError::Kind;
using Rows = std::vector<std::string>;

Rows readCsv(const std::string& text, CsvLimits limits = {}) {
    std::istringstream in(text);
    CollectingSink sink;
    CsvReader(limits).read(in, sink);
    return sink.rows;
}

/// The error a read throws; fails the test when it does not throw.
ConnectorError csvError(const std::string& text, CsvLimits limits = {}) {
    try {
        readCsv(text, limits);
    } catch (const ConnectorError& error) {
        return error;
    }
    ADD_FAILURE() << "no ConnectorError for: " << text.substr(0, 80);
    return ConnectorError(Kind::unavailable, "");
}

TEST(CsvReader, DetectsEachDelimiter) {
    for (const std::string delimiter : {",", ";", "\t", "|"}) {
        const std::string text = "name" + delimiter + "Email" + delimiter + "n\n" + "Ann" +
                                 delimiter + "ann@example.com" + delimiter + "1\n";
        EXPECT_EQ(readCsv(text), Rows{"ann@example.com"}) << "delimiter '" << delimiter << "'";
    }
}

TEST(CsvReader, DelimiterDetectionPicksTheMostFrequentOutsideQuotes) {
    EXPECT_EQ(CsvReader::detectDelimiter("a;b;c,d"), ';');
    EXPECT_EQ(CsvReader::detectDelimiter("a,b;c"), ',') << "ties go to comma";
    EXPECT_EQ(CsvReader::detectDelimiter("a|b\tc|d"), '|');
    EXPECT_EQ(CsvReader::detectDelimiter("\"x,y,z\";b"), ';')
        << "commas inside quotes do not count";
    EXPECT_EQ(CsvReader::detectDelimiter("just-one-column"), '\0');
    EXPECT_EQ(CsvReader::detectDelimiter("a\"b,c"), ',') << "a quote inside a field is text";
    EXPECT_EQ(CsvReader::detectDelimiter("\"a\"\";b\";c,d"), ',') << "doubled quotes stay quoted";
    EXPECT_EQ(CsvReader::detectDelimiter("\r\n\na;b\nc,d,e,f"), ';') << "first non-empty line";
}

TEST(CsvReader, NoDelimiterMeansOneColumn) {
    EXPECT_EQ(readCsv("a@example.com\nJohn Smith, Jr <j@example.com>\n"),
              (Rows{"a@example.com", "John Smith, Jr <j@example.com>"}));
}

TEST(CsvReader, SkipsTheByteOrderMark) {
    EXPECT_EQ(readCsv("\xEF\xBB\xBF"
                      "email,name\nann@example.com,Ann\n"),
              Rows{"ann@example.com"});
    EXPECT_EQ(readCsv("\xEF\xBB\xBF"
                      "ann@example.com\n"),
              Rows{"ann@example.com"});
}

TEST(CsvReader, HandlesRfc4180Quoting) {
    const std::string text =
        "\"id\",\"EMAIL\"\n"
        "1,\"ann@example.com\"\n"
        "2,\"say \"\"hi\"\"@example.com\"\n"
        "3,\"line one\nline two\"\n"
        "4,\"a,b;c|d\"\n"
        "5,\"\"\n";
    EXPECT_EQ(readCsv(text), (Rows{"ann@example.com", "say \"hi\"@example.com",
                                   "line one\nline two", "a,b;c|d", ""}));
}

TEST(CsvReader, KeepsStrayQuotesLiterally) {
    EXPECT_EQ(readCsv("ab\"c@example.com,x\n\"q\"tail,y\n"), (Rows{"ab\"c@example.com", "qtail"}));
}

TEST(CsvReader, AcceptsCrlfLfAndLoneCr) {
    const Rows expected{"a@example.com", "b@example.com", "c@example.com"};
    EXPECT_EQ(readCsv("a@example.com\r\nb@example.com\r\nc@example.com\r\n"), expected);
    EXPECT_EQ(readCsv("a@example.com\nb@example.com\nc@example.com"), expected);
    EXPECT_EQ(readCsv("a@example.com\rb@example.com\rc@example.com\r"), expected);
    EXPECT_EQ(readCsv("email\r\na@example.com\rb@example.com\nc@example.com"), expected);
}

TEST(CsvReader, FindsTheEmailHeaderInAnyCaseAndColumn) {
    EXPECT_EQ(readCsv("first,last, E-Mail ,eMail\nAnn,Lee,x,ann@example.com\nBob,Ray\n"),
              (Rows{"ann@example.com", ""}))
        << "the header cell must be exactly email (trimmed); a short row gives an empty cell";
    EXPECT_EQ(readCsv(" Email ;name\nann@example.com;Ann\n"), Rows{"ann@example.com"});
}

TEST(CsvReader, WithoutHeaderTheFirstRowIsDataAndTheFirstColumnIsUsed) {
    EXPECT_EQ(readCsv("ann@example.com,Ann\nbob@example.com,Bob\n"),
              (Rows{"ann@example.com", "bob@example.com"}));
    EXPECT_EQ(readCsv("name,mail\nAnn,ann@example.com\n"), (Rows{"name", "Ann"}));
}

TEST(CsvReader, SkipsBlankLinesButKeepsJunkRows) {
    const std::string text =
        "\n\nemail,name\n\n"
        "ann@example.com,Ann\n"
        "   \n"
        ",,\n"
        "not an address,X\n"
        ",only a name\n"
        "\r\n"
        "bob@example.com,Bob\n\n";
    EXPECT_EQ(readCsv(text), (Rows{"ann@example.com", "not an address", "", "bob@example.com"}));
}

TEST(CsvReader, TrailingDelimiterAtEndOfFile) {
    EXPECT_EQ(readCsv("a@example.com,"), Rows{"a@example.com"});
    EXPECT_EQ(readCsv("x,email\ny,"), Rows{""});
}

TEST(CsvReader, EmptyInputGivesNoRows) {
    EXPECT_TRUE(readCsv("").empty());
    EXPECT_TRUE(readCsv("\xEF\xBB\xBF").empty());
    EXPECT_TRUE(readCsv("email\n").empty());
}

TEST(CsvReader, UnterminatedQuoteNamesTheLineItOpensOn) {
    const ConnectorError error = csvError("email\na@example.com\n\"b@example.com\nmore\n");
    EXPECT_EQ(error.kind(), Kind::badInput);
    EXPECT_STREQ(error.what(), "line 3 opens a quoted field that is never closed");
}

TEST(CsvReader, LongLineIsTooLarge) {
    const std::string text = "a@example.com\n" + std::string(70000, 'x') + "\nb@example.com\n";
    const ConnectorError error = csvError(text);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_STREQ(error.what(), "line 2 is longer than the limit of 65536 bytes");
}

TEST(CsvReader, LongQuotedRecordCountsItsLineBreaks) {
    CsvLimits limits;
    limits.maxLineBytes = 100;
    const std::string text = "a\n\"" + std::string(60, 'x') + "\n" + std::string(60, 'y') + "\"\n";
    const ConnectorError error = csvError(text, limits);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_STREQ(error.what(), "line 2 is longer than the limit of 100 bytes");
}

TEST(CsvReader, LongFieldIsTooLarge) {
    CsvLimits limits;
    limits.maxFieldBytes = 10;
    EXPECT_EQ(readCsv("0123456789,x\n", limits), Rows{"0123456789"});
    const ConnectorError error = csvError("ok\n0123456789A,x\n", limits);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_STREQ(error.what(), "line 2 has a field longer than the limit of 10 bytes");
}

TEST(CsvReader, StopsWhenTheSinkAsks) {
    std::istringstream in("a\nb\nc\nd\n");
    CollectingSink sink(2);
    CsvReader().read(in, sink);
    EXPECT_EQ(sink.rows, (Rows{"a", "b"}));
}

TEST(CsvReader, RandomBytesNeverCrash) {
    std::mt19937 random(12345);
    for (int round = 0; round < 8; ++round) {
        std::string bytes(128 * 1024, '\0');
        for (char& c : bytes) {
            // Bias towards the characters the parser cares about.
            const unsigned value = random() % 300;
            static const char kSpecial[] = {',', ';', '\t', '|', '"', '\r', '\n', ' '};
            c = value >= 256 ? kSpecial[value % 8] : static_cast<char>(value);
        }
        std::istringstream in(bytes);
        CountingSink sink;
        try {
            CsvReader().read(in, sink);
        } catch (const ConnectorError& error) {
            EXPECT_NE(std::string(error.what()), "");
        }
    }
}

/// An endless-looking stream of `rows` lines made on the fly; remembers the largest read request.
class GeneratedCsv final : public std::streambuf {
  public:
    explicit GeneratedCsv(std::size_t rows) : rows_(rows) {}
    std::size_t largestRequest = 0;

  protected:
    std::streamsize xsgetn(char* s, std::streamsize count) override {
        largestRequest = std::max(largestRequest, static_cast<std::size_t>(count));
        return std::streambuf::xsgetn(s, count);
    }
    int_type underflow() override {
        if (made_ == rows_)
            return traits_type::eof();
        line_ = "user" + std::to_string(made_++) + "@example.com,Some Name,42\n";
        setg(line_.data(), line_.data(), line_.data() + line_.size());
        return traits_type::to_int_type(line_[0]);
    }

  private:
    std::size_t rows_;
    std::size_t made_ = 0;
    std::string line_;
};

TEST(CsvReader, StreamsFiftyMegabytesInSmallBlocks) {
    GeneratedCsv source(1'500'000);  // ~52 MB
    std::istream in(&source);
    CountingSink sink;
    CsvReader().read(in, sink);
    EXPECT_EQ(sink.count, 1'500'000U);
    EXPECT_LE(source.largestRequest, CsvReader::kBlockBytes)
        << "the reader asks for one block at a time, never the whole stream";
}

TEST(CsvReader, ThroughputOnSimpleLines) {
    std::string text = "email,name\n";
    constexpr std::size_t kRows = 1'000'000;
    for (std::size_t i = 0; i < kRows; ++i)
        text += "user" + std::to_string(i) + "@example.com,Name\n";
    std::istringstream in(text);
    CountingSink sink;
    const auto start = std::chrono::steady_clock::now();
    CsvReader().read(in, sink);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(sink.count, kRows);
    std::cout << "[ csv      ] " << kRows << " rows, " << text.size() / (1024 * 1024) << " MiB in "
              << seconds << " s = " << static_cast<long>(kRows / seconds) << " rows/s\n";
}

}  // namespace
}  // namespace mailsift::connectors::file
