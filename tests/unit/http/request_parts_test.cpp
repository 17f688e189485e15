#include <gtest/gtest.h>

#include <iterator>
#include <sstream>
#include <string>

#include "http/http_error.h"
#include "http/json_body.h"
#include "http/limited_input_stream.h"
#include "http/query_params.h"
#include "http/redaction.h"

namespace mailsift::http {
namespace {

TEST(QueryParamsTest, KeepsRepeatedKeysInOrderAndDecodes) {
    const QueryParams query =
        QueryParams::parse("filters=valid&filters=risky&pos=10&q=a+b%21%2B&flag");
    EXPECT_EQ(query.all("filters"), (std::vector<std::string>{"valid", "risky"}));
    EXPECT_EQ(query.get("filters"), "valid");
    EXPECT_EQ(query.get("pos"), "10");
    EXPECT_EQ(query.get("q"), "a b!+");
    EXPECT_EQ(query.get("flag"), "");
    EXPECT_EQ(query.get("missing"), std::nullopt);
    EXPECT_TRUE(query.all("missing").empty());
}

TEST(QueryParamsTest, ToleratesEmptyAndMalformedInput) {
    EXPECT_TRUE(QueryParams::parse("").pairs().empty());
    EXPECT_TRUE(QueryParams::parse("&&").pairs().empty());
    EXPECT_EQ(QueryParams::parse("a=%zz").get("a"), "%zz");
}

TEST(LimitedInputStreamTest, ReadsBodiesUpToTheLimit) {
    std::istringstream source(std::string(100, 'x'));
    LimitedInputStream body(source, 100);
    const std::string text{std::istreambuf_iterator<char>(body), std::istreambuf_iterator<char>()};
    EXPECT_EQ(text.size(), 100u);
    EXPECT_FALSE(body.limitExceeded());
    EXPECT_EQ(body.bytesRead(), 100);
}

TEST(LimitedInputStreamTest, ThrowsA413PastTheLimit) {
    std::istringstream source(std::string(101, 'x'));
    LimitedInputStream body(source, 100);
    std::string line;
    try {
        std::getline(body, line);
        FAIL() << "expected a 413";
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 413);
        EXPECT_STREQ(e.what(), "The request body is larger than the limit of 100 bytes.");
    }
    EXPECT_TRUE(body.limitExceeded());
}

TEST(JsonBodyTest, ParsesAnObject) {
    std::istringstream source(R"({"emails": ["a@b.com"]})");
    const auto object = parseJsonObjectBody(source);
    ASSERT_TRUE(object);
    EXPECT_TRUE(object->has("emails"));
}

TEST(JsonBodyTest, RejectsInvalidJsonWithA400Sentence) {
    std::istringstream source(R"({"emails": [)");
    try {
        parseJsonObjectBody(source);
        FAIL() << "expected a 400";
    } catch (const HttpError& e) {
        EXPECT_EQ(e.status(), 400);
        EXPECT_EQ(std::string(e.what()).rfind("The request body is not valid JSON: ", 0), 0u)
            << e.what();
    }
}

TEST(JsonBodyTest, RejectsOtherJsonTypesAndEmptyBodies) {
    std::istringstream array("[1, 2]");
    EXPECT_THROW(parseJsonObjectBody(array), HttpError);
    std::istringstream empty("  ");
    EXPECT_THROW(parseJsonObjectBody(empty), HttpError);
}

TEST(RedactCredentialsTest, HidesUserInfoOfUrls) {
    EXPECT_EQ(redactCredentials("cannot connect to mysql://app:s3cret@db:3306/mailsift"),
              "cannot connect to mysql://***@db:3306/mailsift");
    EXPECT_EQ(redactCredentials("no url here"), "no url here");
}

}  // namespace
}  // namespace mailsift::http
