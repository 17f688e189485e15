#include "engine/result_json.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

using mailsift::engine::appendJsonString;
using mailsift::engine::appendResultJson;
using mailsift::engine::ValidationResult;

namespace {

std::string asJsonString(std::string_view text) {
    std::string out;
    appendJsonString(out, text);
    return out;
}

}  // namespace

TEST(ResultJson, EscapesQuotesBackslashesAndControls) {
    EXPECT_EQ(asJsonString("a\"b\\c"), R"("a\"b\\c")");
    EXPECT_EQ(asJsonString(std::string("x\n\t\x01\x7f", 5)), R"("x\u000a\u0009\u0001\u007f")");
}

TEST(ResultJson, KeepsValidUtf8AndReplacesInvalidBytes) {
    EXPECT_EQ(asJsonString("Pelé@exämple.com 用户"), "\"Pelé@exämple.com 用户\"");
    EXPECT_EQ(asJsonString("a\xff"
                           "b"),
              R"("a\ufffdb")");
    EXPECT_EQ(asJsonString("\xc3"), R"("\ufffd")");                      // truncated sequence
    EXPECT_EQ(asJsonString("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong encoding
    EXPECT_EQ(asJsonString("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // UTF-16 surrogate
}

TEST(ResultJson, ResultObjectHasTheContractFieldsInOrderThenExtensions) {
    ValidationResult r;
    r.syntax = "pass";
    r.mx = "pass";
    r.mailbox = "pass";
    r.score = 4;
    r.classifier = "risky";
    r.description = {"typo"};
    r.smtpResponse = "250 2.1.5 \"ok\"";
    r.normalized = "a@gmial.com";
    r.suggestion = "a@gmail.com";
    r.free = true;
    r.mxHost = "mx.gmial.com";
    std::string out;
    appendResultJson(out, r);
    EXPECT_EQ(
        out,
        R"({"syntax":"pass","mx":"pass","mailbox":"pass","score":4,"classifier":"risky",)"
        R"("description":["typo"],"smtpResponse":"250 2.1.5 \"ok\"","normalized":"a@gmial.com",)"
        R"("suggestion":"a@gmail.com","free":true,"mxHost":"mx.gmial.com"})");
    const auto parsed = Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(parsed->getValue<int>("score"), 4);
}

TEST(ResultJson, EmptyExtensionsAreLeftOut) {
    ValidationResult r;
    std::string out;
    appendResultJson(out, r);
    EXPECT_EQ(out,
              R"({"syntax":"fail","mx":"n/a","mailbox":"n/a","score":0,"classifier":"invalid",)"
              R"("description":[],"smtpResponse":"","free":false})");
}
