// The HTTP pieces of job uploads and downloads that need no server: the streaming multipart reader
// and the CSV writer (quoting and formula neutralisation).
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "http/csv_writer.h"
#include "http/http_error.h"
#include "http/multipart_reader.h"

namespace mailsift::http {
namespace {

std::string form(const std::string& boundary,
                 const std::vector<std::pair<std::string, std::string>>& fields,
                 const std::string& fileContent, bool fileFirst) {
    std::string body = "preamble to ignore\r\n";
    auto file = [&] {
        body += "--" + boundary +
                "\r\nContent-Disposition: form-data; name=\"file\"; "
                "filename=\"list.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
                fileContent + "\r\n";
    };
    if (fileFirst)
        file();
    for (const auto& [name, value] : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    if (!fileFirst)
        file();
    return body + "--" + boundary + "--\r\n";
}

TEST(MultipartReader, ReadsFieldsAndALargeFileThatLooksLikeABoundary) {
    std::string content;
    for (int i = 0; i < 20000; ++i)
        content += "user" + std::to_string(i) + "@example.com\r\n--XbY\r\n";  // near-boundaries
    const std::string body = form("XbYz", {{"source", "file"}, {"label", "L"}}, content, false);
    std::istringstream in(body);
    MultipartReader reader(in, "XbYz", 0);
    MultipartPart part;
    ASSERT_TRUE(reader.next(part));
    EXPECT_EQ(part.name, "source");
    EXPECT_EQ(reader.readText(), "file");
    ASSERT_TRUE(reader.next(part));
    EXPECT_EQ(part.name, "label");
    ASSERT_TRUE(reader.next(part));
    EXPECT_EQ(part.name, "file");
    EXPECT_TRUE(part.isFile);
    EXPECT_EQ(part.fileName, "list.csv");
    EXPECT_EQ(part.contentType, "text/csv");
    std::string got((std::istreambuf_iterator<char>(reader.content())),
                    std::istreambuf_iterator<char>());
    EXPECT_EQ(got, content);
    EXPECT_FALSE(reader.next(part));
    EXPECT_FALSE(reader.failed());
}

TEST(MultipartReader, SkipsUnreadPartsAndFindsTheBoundaryParameter) {
    const std::string body = form("b", {{"label", "x"}}, "a@b.c\n", true);
    std::istringstream in(body);
    MultipartReader reader(in, "b", 0);
    MultipartPart part;
    ASSERT_TRUE(reader.next(part));
    EXPECT_EQ(part.name, "file");
    ASSERT_TRUE(reader.next(part));  // the file was not read
    EXPECT_EQ(reader.readText(), "x");
    EXPECT_FALSE(reader.next(part));
    EXPECT_EQ(MultipartReader::boundaryOf("multipart/form-data; boundary=\"a b\""), "a b");
    EXPECT_EQ(MultipartReader::boundaryOf("Multipart/Form-Data;boundary=xyz"), "xyz");
    EXPECT_FALSE(MultipartReader::boundaryOf("application/json"));
    EXPECT_FALSE(MultipartReader::boundaryOf("multipart/form-data"));
}

TEST(MultipartReader, ATruncatedBodyEndsTheStreamAndIs400) {
    std::string body = form("b", {{"source", "file"}}, "a@b.c\nd@e.f\n", false);
    body.resize(body.size() - 12);
    std::istringstream in(body);
    MultipartReader reader(in, "b", 0);
    MultipartPart part;
    ASSERT_TRUE(reader.next(part));
    ASSERT_TRUE(reader.next(part));
    std::string got((std::istreambuf_iterator<char>(reader.content())),
                    std::istreambuf_iterator<char>());
    EXPECT_TRUE(reader.failed());
    try {
        reader.throwIfFailed();
        FAIL() << "no error";
    } catch (const HttpError& error) {
        EXPECT_EQ(error.status(), 400);
    }
}

TEST(MultipartReader, APartOverTheLimitIs413) {
    const std::string body = form("b", {}, std::string(5000, 'x'), true);
    std::istringstream in(body);
    MultipartReader reader(in, "b", 1000);
    MultipartPart part;
    ASSERT_TRUE(reader.next(part));
    std::string got((std::istreambuf_iterator<char>(reader.content())),
                    std::istreambuf_iterator<char>());
    EXPECT_LE(got.size(), 1000U);
    try {
        reader.next(part);
        FAIL() << "no error";
    } catch (const HttpError& error) {
        EXPECT_EQ(error.status(), 413);
        EXPECT_NE(std::string(error.what()).find("1000 bytes"), std::string::npos);
    }
}

TEST(MultipartReader, MalformedHeadersAre400) {
    std::istringstream in("--b\r\nno colon here\r\n\r\nx\r\n--b--\r\n");
    MultipartReader reader(in, "b", 0);
    MultipartPart part;
    try {
        reader.next(part);
        FAIL() << "no error";
    } catch (const HttpError& error) {
        EXPECT_EQ(error.status(), 400);
    }
}

TEST(CsvWriter, QuotesAndNeutralisesFormulas) {
    std::ostringstream out;
    {
        CsvWriter csv(out, 16);
        csv.cell("plain@example.com");
        csv.cell("=HYPERLINK(\"x\")");
        csv.cell("a,b");
        csv.cell(static_cast<long long>(-3));
        csv.endRow();
        for (const char* text :
             {"+1", "-1", "@SUM(A1)", "\tx", "\rx", "say \"hi\"", "line\nbreak", ""})
            csv.cell(text);
        csv.endRow();
    }
    EXPECT_EQ(out.str(),
              "plain@example.com,\"'=HYPERLINK(\"\"x\"\")\",\"a,b\",-3\r\n"
              "'+1,'-1,'@SUM(A1),'\tx,\"'\rx\",\"say \"\"hi\"\"\",\"line\nbreak\",\r\n");
}

}  // namespace
}  // namespace mailsift::http
