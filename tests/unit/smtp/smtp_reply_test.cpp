// The reply parser: single and multi-line replies, enhanced codes, partial input and garbage.
#include "probe/smtp_reply.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace mailsift::stages::smtp {
namespace {

using Status = ReplyParse::Status;

TEST(SmtpReply, ParsesOneLineWithEnhancedCode) {
    const ReplyParse parsed = parseReply("550 5.1.1 <x@a.test>: User unknown\r\nrest");
    ASSERT_EQ(parsed.status, Status::complete);
    EXPECT_EQ(parsed.reply.code, 550);
    ASSERT_TRUE(parsed.reply.enhanced);
    EXPECT_EQ(*parsed.reply.enhanced, (EnhancedStatus{5, 1, 1}));
    EXPECT_EQ(parsed.consumed, std::string("550 5.1.1 <x@a.test>: User unknown\r\n").size());
    EXPECT_EQ(parsed.reply.summary(), "550 5.1.1 <x@a.test>: User unknown");
}

TEST(SmtpReply, ParsesMultiLineAndJoinsItWithoutRepeatedCodes) {
    const std::string text =
        "550-5.1.1 The email account that you tried to reach does not exist.\r\n"
        "550-5.1.1 Please try double-checking the recipient's email\r\n"
        "550 5.1.1 address for typos.\r\n";
    const ReplyParse parsed = parseReply(text);
    ASSERT_EQ(parsed.status, Status::complete);
    EXPECT_EQ(parsed.reply.lines.size(), 3U);
    EXPECT_EQ(parsed.consumed, text.size());
    EXPECT_EQ(parsed.reply.summary(),
              "550 5.1.1 The email account that you tried to reach does not exist. Please try "
              "double-checking the recipient's email address for typos.");
}

TEST(SmtpReply, EhloLinesAndBareLf) {
    const ReplyParse parsed = parseReply("250-mx.test\n250-PIPELINING\n250 STARTTLS\n");
    ASSERT_EQ(parsed.status, Status::complete);
    EXPECT_EQ(parsed.reply.lines, (std::vector<std::string>{"mx.test", "PIPELINING", "STARTTLS"}));
    EXPECT_FALSE(parsed.reply.enhanced);
}

TEST(SmtpReply, CodeAloneIsAReply) {
    const ReplyParse parsed = parseReply("250\r\n");
    ASSERT_EQ(parsed.status, Status::complete);
    EXPECT_EQ(parsed.reply.code, 250);
    EXPECT_EQ(parsed.reply.summary(), "250");
}

TEST(SmtpReply, EnhancedCodeMustMatchTheReplyClass) {
    const ReplyParse parsed = parseReply("550 2.1.1 odd\r\n");
    ASSERT_EQ(parsed.status, Status::complete);
    EXPECT_FALSE(parsed.reply.enhanced);
    EXPECT_FALSE(parseReply("550 5.1 short\r\n").reply.enhanced);
    EXPECT_FALSE(parseReply("550 5.1.1000 long\r\n").reply.enhanced);
    EXPECT_FALSE(parseReply("550 5.1.1x glued\r\n").reply.enhanced);
}

TEST(SmtpReply, WaitsForTheFinalLine) {
    EXPECT_EQ(parseReply("").status, Status::incomplete);
    EXPECT_EQ(parseReply("250-first\r\n250-sec").status, Status::incomplete);
    EXPECT_EQ(parseReply("250 no newline yet").status, Status::incomplete);
}

TEST(SmtpReply, RefusesGarbage) {
    EXPECT_EQ(parseReply("HTTP/1.1 400 Bad Request\r\n").status, Status::malformed);
    EXPECT_EQ(parseReply("25\r\n").status, Status::malformed);
    EXPECT_EQ(parseReply("150 not smtp\r\n").status, Status::malformed);
    EXPECT_EQ(parseReply("650 not smtp\r\n").status, Status::malformed);
    EXPECT_EQ(parseReply("250x\r\n").status, Status::malformed);
    EXPECT_EQ(parseReply("250-a\r\n251 b\r\n").status, Status::malformed) << "mixed codes";
    EXPECT_EQ(parseReply(std::string(5000, '2')).status, Status::malformed) << "endless line";
    std::string many;
    for (int i = 0; i < 300; ++i)
        many += "250-x\r\n";
    EXPECT_EQ(parseReply(many).status, Status::malformed) << "endless reply";
}

TEST(SmtpReply, SummaryIsPrintableAndBounded) {
    const ReplyParse parsed =
        parseReply(std::string("550 bad\x01\x7f") + std::string(2000, 'x') + "\r\n");
    ASSERT_EQ(parsed.status, Status::complete);
    const std::string summary = parsed.reply.summary();
    EXPECT_LE(summary.size(), 512U);
    EXPECT_EQ(summary.substr(0, 10), "550 bad??x");
}

TEST(SmtpReply, RandomBytesNeverCrash) {
    std::mt19937 generator(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 300);
    const std::string alphabet = "0123455-. \r\n250-5.1.1";
    for (int round = 0; round < 20000; ++round) {
        std::string input;
        const int n = length(generator);
        for (int i = 0; i < n; ++i) {
            const int b = byte(generator);
            input.push_back(b < 200 ? alphabet[static_cast<std::size_t>(b) % alphabet.size()]
                                    : static_cast<char>(b));
        }
        const ReplyParse parsed = parseReply(input);
        if (parsed.status == Status::complete) {
            EXPECT_LE(parsed.consumed, input.size());
            EXPECT_GE(parsed.reply.code, 200);
            EXPECT_LT(parsed.reply.code, 600);
            (void)parsed.reply.summary();
        }
    }
}

}  // namespace
}  // namespace mailsift::stages::smtp
