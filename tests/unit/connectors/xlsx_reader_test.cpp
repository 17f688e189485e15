// XlsxReader and ExcelReader: cell types, sheet lookup through relationships, header rules, and the
// defences (DOCTYPE, zip bombs, entry count, garbage, damaged archives, non-seekable uploads).
#include "excel/xlsx_reader.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>
#include <streambuf>

#include "collecting_sink.h"
#include "excel/excel_reader.h"
#include "excel/sheet_handler.h"
#include "excel/workbook_layout.h"
#include "xlsx_builder.h"

namespace mailsift::connectors::excel {
namespace {

using testing::CollectingSink;
using testing::inlineCell;
using testing::workbookParts;
using testing::zipParts;
using Kind = ConnectorError::Kind;
using Rows = std::vector<std::string>;

Rows readXlsx(const std::string& bytes, XlsxLimits limits = {}) {
    std::istringstream in(bytes);
    CollectingSink sink;
    XlsxReader(limits).read(in, sink);
    return sink.rows;
}

ConnectorError xlsxError(const std::string& bytes, XlsxLimits limits = {}) {
    try {
        readXlsx(bytes, limits);
    } catch (const ConnectorError& error) {
        return error;
    }
    ADD_FAILURE() << "no ConnectorError";
    return ConnectorError(Kind::unavailable, "");
}

const std::string kSharedStrings =
    "<si><t>name</t></si>"
    "<si><t xml:space=\"preserve\"> Email </t></si>"
    "<si><t>Ann</t></si>"
    "<si><r><rPr><b/></rPr><t>ann@</t></r><r><t>example.com</t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t>Bob &lt;&amp;&gt; \xC3\x9C</t></si>";

const std::string kSheet =
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row>"
    "<row r=\"3\">" +
    inlineCell("B3", "inline@example.com") +
    "</row>"
    "<row r=\"5\"><c r=\"B5\"><v>45.5</v></c></row>"
    "<row r=\"6\"><c r=\"B6\" t=\"str\"><f>LOWER(A1)</f><v>calc@example.com</v></c></row>"
    "<row r=\"7\"><c r=\"B7\" t=\"b\"><v>1</v></c><c r=\"C7\" t=\"e\"><v>#N/A</v></c></row>"
    "<row r=\"8\"><c r=\"A8\" t=\"s\"><v>4</v></c></row>"
    "<row r=\"9\" spans=\"1:2\"/>"
    "<row r=\"10\"><c r=\"B10\" t=\"inlineStr\"><is><r><t>rich@</t></r><r><t>inline.test</t></r>"
    "</is></c></row>"
    "<row><c t=\"inlineStr\"><is><t>no-ref-a</t></is></c>"
    "<c t=\"inlineStr\"><is><t>no-ref-b@example.com</t></is></c></row>"
    "<row r=\"12\"><c r=\"B12\" t=\"s\"><v>4</v></c></row>";

const Rows kExpected{"ann@example.com",
                     "inline@example.com",
                     "45.5",
                     "calc@example.com",
                     "TRUE",
                     "",
                     "rich@inline.test",
                     "no-ref-b@example.com",
                     "Bob <&> \xC3\x9C"};

TEST(XlsxReader, ReadsEveryCellKindFromTheFirstSheet) {
    EXPECT_EQ(readXlsx(zipParts(workbookParts(kSheet, kSharedStrings))), kExpected);
}

TEST(XlsxReader, ReadsAStreamedZipTheSameWay) {
    EXPECT_EQ(readXlsx(zipParts(workbookParts(kSheet, kSharedStrings), true)), kExpected);
}

TEST(XlsxReader, FindsTheSheetThroughRelationshipsWhateverItsName) {
    const std::string sheet = "<row r=\"1\">" + inlineCell("A1", "a@example.com") + "</row>";
    EXPECT_EQ(readXlsx(zipParts(workbookParts(sheet, "", "data/Emails%20Sheet.xml"))),
              Rows{"a@example.com"});
    EXPECT_EQ(readXlsx(zipParts(workbookParts(sheet, "", "/xl/sheets/abs.xml"))),
              Rows{"a@example.com"});
}

TEST(XlsxReader, WithoutHeaderTheFirstColumnIsUsed) {
    const std::string sheet = "<row r=\"1\">" + inlineCell("A1", "a@example.com") +
                              inlineCell("B1", "x") + "</row>" + "<row r=\"2\">" +
                              inlineCell("B2", "only-b") + "</row>" +
                              "<row r=\"3\"><c r=\"A3\"><v>7</v></c></row>";
    EXPECT_EQ(readXlsx(zipParts(workbookParts(sheet))), (Rows{"a@example.com", "", "7"}));
}

TEST(XlsxReader, ResolvesRelationshipTargets) {
    EXPECT_EQ(resolvePartName("xl/workbook.xml", "worksheets/sheet1.xml"),
              "xl/worksheets/sheet1.xml");
    EXPECT_EQ(resolvePartName("xl/workbook.xml", "/xl/s.xml"), "xl/s.xml");
    EXPECT_EQ(resolvePartName("xl/workbook.xml", "../x/./y.xml"), "x/y.xml");
    EXPECT_EQ(resolvePartName("", "xl/workbook.xml"), "xl/workbook.xml");
    EXPECT_EQ(resolvePartName("xl/workbook.xml", "a%20b%zz.xml"), "xl/a b%zz.xml");
    EXPECT_EQ(SheetHandler::columnOf("A1"), 0U);
    EXPECT_EQ(SheetHandler::columnOf("AA10"), 26U);
    EXPECT_EQ(SheetHandler::columnOf("XFD1"), 16383U);
    EXPECT_EQ(SheetHandler::columnOf("XFE1"), std::nullopt);
    EXPECT_EQ(SheetHandler::columnOf("12"), std::nullopt);
}

TEST(XlsxReader, MissingFirstSheetIsReported) {
    auto parts = workbookParts("");
    for (auto& [name, content] : parts) {
        if (name == "xl/_rels/workbook.xml.rels")
            content =
                "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                "relationships\"/>";
    }
    const ConnectorError error = xlsxError(zipParts(parts));
    EXPECT_EQ(error.kind(), Kind::badInput);
    EXPECT_STREQ(error.what(), "the workbook's first sheet could not be found");
}

TEST(XlsxReader, RefusesADoctype) {
    const std::string attack =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY ext SYSTEM \"file:///etc/passwd\">]>"
        "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;&ext;</t></is></c></row>"
        "</sheetData></worksheet>";
    auto parts = workbookParts("");
    for (auto& [name, content] : parts) {
        if (name == "xl/worksheets/sheet1.xml")
            content = attack;
    }
    const ConnectorError error = xlsxError(zipParts(parts));
    EXPECT_EQ(error.kind(), Kind::badInput);
    EXPECT_NE(std::string(error.what()).find("DOCTYPE"), std::string::npos) << error.what();
}

TEST(XlsxReader, HighlyCompressedEntryIsAZipBomb) {
    const std::string sheet = "<row r=\"1\">" + inlineCell("A1", "a@example.com") + "</row>" +
                              std::string(20 * 1024 * 1024, ' ');
    const ConnectorError error = xlsxError(zipParts(workbookParts(sheet)));
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_NE(std::string(error.what()).find("zip bomb"), std::string::npos) << error.what();
}

TEST(XlsxReader, DecompressedBudgetIsEnforced) {
    XlsxLimits limits;
    limits.zip.maxDecompressedBytes = 1500;
    const ConnectorError error = xlsxError(zipParts(workbookParts(kSheet, kSharedStrings)), limits);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_STREQ(error.what(),
                 "the workbook is larger than the limit of 1500 bytes once decompressed");
}

TEST(XlsxReader, TooManyEntries) {
    XlsxLimits limits;
    limits.zip.maxEntries = 3;
    const ConnectorError error = xlsxError(zipParts(workbookParts(kSheet)), limits);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_NE(std::string(error.what()).find(" files, more than the limit of 3"), std::string::npos)
        << error.what();
}

TEST(XlsxReader, LongCellIsTooLarge) {
    XlsxLimits limits;
    limits.maxCellBytes = 16;
    const std::string sheet = "<row r=\"1\">" + inlineCell("C1", std::string(17, 'x')) + "</row>";
    const ConnectorError error = xlsxError(zipParts(workbookParts(sheet)), limits);
    EXPECT_EQ(error.kind(), Kind::tooLarge);
    EXPECT_STREQ(error.what(), "cell C1 of the workbook is longer than the limit of 16 bytes");
}

TEST(XlsxReader, BadSharedStringIndexIsBadInput) {
    const std::string sheet = "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>99</v></c></row>";
    const ConnectorError error = xlsxError(zipParts(workbookParts(sheet, "<si><t>x</t></si>")));
    EXPECT_EQ(error.kind(), Kind::badInput);
    EXPECT_NE(std::string(error.what()).find("shared string"), std::string::npos);
}

TEST(XlsxReader, StopsWhenTheSinkAsks) {
    std::istringstream in(zipParts(workbookParts(kSheet, kSharedStrings)));
    CollectingSink sink(2);
    XlsxReader().read(in, sink);
    EXPECT_EQ(sink.rows, (Rows{"ann@example.com", "inline@example.com"}));
}

TEST(XlsxReader, GarbageAndDamagedArchivesAreBadInput) {
    EXPECT_EQ(xlsxError("PK\x03\x04 this is not a zip at all").kind(), Kind::badInput);
    const std::string good = zipParts(workbookParts(kSheet, kSharedStrings));
    EXPECT_EQ(xlsxError(good.substr(0, good.size() / 2)).kind(), Kind::badInput);
    // Not a workbook: a zip with unrelated files.
    EXPECT_EQ(xlsxError(zipParts({{"a.txt", "hello"}})).kind(), Kind::badInput);
    // Malformed XML in the sheet.
    auto parts = workbookParts("<row><c>");
    EXPECT_EQ(xlsxError(zipParts(parts)).kind(), Kind::badInput);
}

TEST(XlsxReader, MutatedArchivesOnlyEverThrowConnectorError) {
    const std::string good = zipParts(workbookParts(kSheet, kSharedStrings));
    std::mt19937 random(4242);
    for (int round = 0; round < 400; ++round) {
        std::string bytes = good;
        const int flips = 1 + static_cast<int>(random() % 8);
        for (int i = 0; i < flips; ++i)
            bytes[random() % bytes.size()] = static_cast<char>(random() % 256);
        try {
            readXlsx(bytes);
        } catch (const ConnectorError&) {
        }
    }
}

/// A stream that cannot seek, like an upload read as it arrives.
class OneWayBuffer final : public std::streambuf {
  public:
    explicit OneWayBuffer(std::string bytes) : bytes_(std::move(bytes)) {
        setg(bytes_.data(), bytes_.data(), bytes_.data() + bytes_.size());
    }

  private:
    std::string bytes_;
};

TEST(ExcelReader, SpoolsANonSeekableUploadAndSniffsTheFormat) {
    OneWayBuffer buffer(zipParts(workbookParts(kSheet, kSharedStrings)));
    std::istream in(&buffer);
    CollectingSink sink;
    ExcelReader({}, "").read(in, sink);
    EXPECT_EQ(sink.rows, kExpected);
}

TEST(ExcelReader, RefusesWhatIsNeitherXlsxNorXls) {
    for (const std::string& bytes :
         {std::string("email\na@example.com\n"), std::string(""), std::string("PK")}) {
        std::istringstream in(bytes);
        CollectingSink sink;
        try {
            ExcelReader({}, "").read(in, sink);
            ADD_FAILURE() << "no error";
        } catch (const ConnectorError& error) {
            EXPECT_EQ(error.kind(), Kind::badInput);
            EXPECT_STREQ(error.what(), "The file is neither .xlsx nor .xls");
        }
    }
}

}  // namespace
}  // namespace mailsift::connectors::excel
