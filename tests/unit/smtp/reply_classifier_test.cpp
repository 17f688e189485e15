// The reply classifier: status and enhanced codes first, text only without an enhanced code.
#include "probe/reply_classifier.h"

#include <gtest/gtest.h>

#include <string>

namespace mailsift::stages::smtp {
namespace {

SmtpReply reply(const std::string& text) {
    const ReplyParse parsed = parseReply(text + "\r\n");
    EXPECT_EQ(parsed.status, ReplyParse::Status::complete) << text;
    return parsed.reply;
}

struct RcptCase {
    const char* text;
    RcptVerdict verdict;
};

// Names the case by its reply in test listings (and so in ctest names).
void PrintTo(const RcptCase& c, std::ostream* out) {
    *out << '"' << c.text << '"';
}

class RcptTable : public ::testing::TestWithParam<RcptCase> {};

TEST_P(RcptTable, Classifies) {
    EXPECT_EQ(classifyRcpt(reply(GetParam().text)), GetParam().verdict) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Replies, RcptTable,
    ::testing::Values(
        RcptCase{"250 2.1.5 Ok", RcptVerdict::accepted},
        RcptCase{"251 2.1.5 User not local; will forward", RcptVerdict::accepted},
        RcptCase{"252 2.1.5 Cannot VRFY user, but will accept", RcptVerdict::unverified},
        RcptCase{"550 5.1.1 <a@b>: Recipient address rejected: User unknown", RcptVerdict::refused},
        RcptCase{"550-5.1.1 The email account does not exist\r\n550 5.1.1 blocked words here",
                 RcptVerdict::refused},  // enhanced code beats text
        RcptCase{"554 5.1.1 Unknown user", RcptVerdict::refused},
        RcptCase{"553 5.1.3 Bad recipient address syntax", RcptVerdict::refused},
        RcptCase{"550 5.1.8 Sender domain does not resolve", RcptVerdict::blocked},
        RcptCase{"550 5.2.1 Mailbox disabled", RcptVerdict::disabled},
        RcptCase{"552 5.2.2 Mailbox full", RcptVerdict::full},
        RcptCase{"452 4.2.2 Mailbox full, try later", RcptVerdict::transient},
        RcptCase{"552 Requested mail action aborted: exceeded storage", RcptVerdict::full},
        RcptCase{"552 5.3.4 Message too big", RcptVerdict::unverified},
        RcptCase{"550 5.7.1 Service unavailable; client host blocked", RcptVerdict::blocked},
        RcptCase{"550 5.7.606 Access denied, banned sending IP", RcptVerdict::blocked},
        RcptCase{"554 Transaction failed", RcptVerdict::blocked},
        RcptCase{"550 Mailbox unavailable, listed at zen.spamhaus.org", RcptVerdict::blocked},
        RcptCase{"550 Rejected due to low reputation", RcptVerdict::blocked},
        RcptCase{"550 5.0.0 Blocked by policy", RcptVerdict::blocked},  // x.0.0: text decides
        RcptCase{"550 5.0.0 User unknown", RcptVerdict::refused},
        RcptCase{"550 No such user here", RcptVerdict::refused},
        RcptCase{"553 sorry, that domain isn't in my list of allowed rcpthosts",
                 RcptVerdict::refused},
        RcptCase{"550 Account disabled", RcptVerdict::disabled},
        RcptCase{"451 4.7.1 Greylisted, try again later", RcptVerdict::transient},
        RcptCase{"450 4.2.0 Temporarily rejected", RcptVerdict::transient},
        RcptCase{"452 4.5.3 Too many recipients", RcptVerdict::tooManyRecipients},
        RcptCase{"452 Too many recipients received", RcptVerdict::tooManyRecipients},
        RcptCase{"421 4.7.0 Closing connection", RcptVerdict::serviceClosing},
        RcptCase{"451 Too many connections from your IP", RcptVerdict::serviceClosing},
        RcptCase{"500 5.5.1 Command unrecognized", RcptVerdict::unverified},
        RcptCase{"503 5.5.1 Need MAIL first", RcptVerdict::unverified},
        RcptCase{"554 5.4.4 Unable to route", RcptVerdict::unverified},
        RcptCase{"220 hello?", RcptVerdict::unverified}),
    [](const ::testing::TestParamInfo<RcptCase>& param) {
        return "reply" + std::to_string(param.index);
    });

TEST(SessionClassifier, GreetingEhloAndMailFrom) {
    EXPECT_EQ(classifySession(reply("220 mx ESMTP")), SessionVerdict::proceed);
    EXPECT_EQ(classifySession(reply("250 2.1.0 Ok")), SessionVerdict::proceed);
    EXPECT_EQ(classifySession(reply("421 4.7.0 Too many connections")), SessionVerdict::busy);
    EXPECT_EQ(classifySession(reply("450 too many connections")), SessionVerdict::busy);
    EXPECT_EQ(classifySession(reply("554 too many connections from you")), SessionVerdict::busy);
    EXPECT_EQ(classifySession(reply("451 4.3.0 Try later")), SessionVerdict::transient);
    EXPECT_EQ(classifySession(reply("554 5.7.1 Client host rejected")), SessionVerdict::blocked);
    EXPECT_EQ(classifySession(reply("550 5.7.1 Sender address rejected")), SessionVerdict::blocked);
}

TEST(Classifier, PolicyWords) {
    EXPECT_TRUE(mentionsPolicy("Rejected: IP listed on SPAMHAUS"));
    EXPECT_TRUE(mentionsPolicy("Access Denied"));
    EXPECT_FALSE(mentionsPolicy("User unknown"));
    EXPECT_TRUE(mentionsTooManyConnections("421 Too Many Connections"));
}

}  // namespace
}  // namespace mailsift::stages::smtp
