#include "engine/scoring.h"

#include <gtest/gtest.h>

#include <initializer_list>

using mailsift::Fact;
using mailsift::Item;
using mailsift::engine::score;
using Codes = std::vector<std::string>;

namespace {

Item itemWith(std::initializer_list<Fact> facts) {
    Item item;
    item.input = "user@example.com";
    item.address.normalized = "user@example.com";
    item.address.local = "user";
    item.address.domain = "example.com";
    for (Fact f : facts)
        item.evidence.add(f);
    return item;
}

}  // namespace

TEST(Scoring, AcceptedMailboxIsValid) {
    auto item = itemWith({Fact::mxFound, Fact::mailboxAccepted});
    item.evidence.smtpResponse = "250 2.1.5 OK";
    item.evidence.mxHost = "mx1.example.com";
    const auto r = score(item);
    EXPECT_EQ(r.syntax, "pass");
    EXPECT_EQ(r.mx, "pass");
    EXPECT_EQ(r.mailbox, "pass");
    EXPECT_EQ(r.score, 10);
    EXPECT_EQ(r.classifier, "valid");
    EXPECT_TRUE(r.description.empty());
    EXPECT_EQ(r.smtpResponse, "250 2.1.5 OK");
    EXPECT_EQ(r.mxHost, "mx1.example.com");
    EXPECT_EQ(r.normalized, "user@example.com");
}

TEST(Scoring, FreeProviderIsStillValid) {
    const auto r = score(itemWith({Fact::freeProvider, Fact::mxFound, Fact::mailboxAccepted}));
    EXPECT_EQ(r.score, 10);
    EXPECT_TRUE(r.free);
}

TEST(Scoring, BadSyntaxIsInvalidWithNa) {
    Item item;
    item.input = "not an address";
    item.evidence.add(Fact::syntaxInvalid);
    const auto r = score(item);
    EXPECT_EQ(r.syntax, "fail");
    EXPECT_EQ(r.mx, "n/a");
    EXPECT_EQ(r.mailbox, "n/a");
    EXPECT_EQ(r.score, 0);
    EXPECT_EQ(r.classifier, "invalid");
    EXPECT_EQ(r.description, Codes{"syntax"});
    EXPECT_EQ(r.smtpResponse, "");
}

struct Row {
    std::vector<Fact> facts;
    int score;
    const char* classifier;
    Codes codes;
    const char* mx;
    const char* mailbox;
};

// Names the row by its expected verdict in test listings (and so in ctest names).
void PrintTo(const Row& row, std::ostream* out) {
    *out << row.score << ' ' << row.classifier;
}

class ScoringTable : public ::testing::TestWithParam<Row> {};

TEST_P(ScoringTable, Row) {
    const Row& row = GetParam();
    Item item = itemWith({});
    for (Fact f : row.facts)
        item.evidence.add(f);
    const auto r = score(item);
    EXPECT_EQ(r.score, row.score);
    EXPECT_EQ(r.classifier, row.classifier);
    EXPECT_EQ(r.description, row.codes);
    EXPECT_EQ(r.mx, row.mx);
    EXPECT_EQ(r.mailbox, row.mailbox);
}

INSTANTIATE_TEST_SUITE_P(
    ApiTable, ScoringTable,
    ::testing::Values(
        // 9: domain accepts mail, mailbox could not be verified, plus the reason.
        Row{{Fact::mxFound, Fact::smtpTimeout},
            9,
            "risky",
            {"mailbox_unverified", "smtp_timeout"},
            "pass",
            "n/a"},
        Row{{Fact::mxFound, Fact::greylisted},
            9,
            "risky",
            {"mailbox_unverified", "greylisted"},
            "pass",
            "n/a"},
        Row{{Fact::mxFound, Fact::smtpBlocked},
            9,
            "risky",
            {"mailbox_unverified", "smtp_blocked"},
            "pass",
            "n/a"},
        Row{{Fact::mxFound, Fact::noConnect},
            9,
            "risky",
            {"mailbox_unverified", "no_connect"},
            "pass",
            "n/a"},
        Row{{Fact::mxFound, Fact::smtpUnverified},
            9,
            "risky",
            {"mailbox_unverified"},
            "pass",
            "n/a"},
        Row{{Fact::mxFound}, 9, "risky", {"mailbox_unverified"}, "pass", "n/a"},  // no SMTP answer
        // 7: the domain could not be resolved for now.
        Row{{Fact::dnsUnresolved}, 7, "risky", {"mailbox_unverified"}, "n/a", "n/a"},
        // 6: catch-all.
        Row{{Fact::mxFound, Fact::mailboxAccepted, Fact::catchAll},
            6,
            "risky",
            {"catch_all"},
            "pass",
            "pass"},
        // 5: role address.
        Row{{Fact::roleAccount, Fact::mxFound, Fact::mailboxAccepted},
            5,
            "risky",
            {"role_email"},
            "pass",
            "pass"},
        // 4: mailbox full, typo.
        Row{{Fact::mxFound, Fact::mailboxFull}, 4, "risky", {"mailbox_full"}, "pass", "fail"},
        Row{{Fact::likelyTypo, Fact::mxFound, Fact::mailboxAccepted},
            4,
            "risky",
            {"typo"},
            "pass",
            "pass"},
        // 2: disposable, blocklist.
        Row{{Fact::disposableDomain, Fact::mxFound, Fact::mailboxAccepted},
            2,
            "risky",
            {"disposable"},
            "pass",
            "pass"},
        Row{{Fact::blocklisted, Fact::mxFound, Fact::mailboxAccepted},
            2,
            "risky",
            {"blacklist"},
            "pass",
            "pass"},
        // 0: domain does not exist, no usable MX, mailbox refused, disabled.
        Row{{Fact::domainNotFound}, 0, "invalid", {"domain"}, "fail", "n/a"},
        Row{{Fact::noUsableMx}, 0, "invalid", {"invalid_mx"}, "fail", "n/a"},
        Row{{Fact::mxFound, Fact::mailboxRefused}, 0, "invalid", {"mailbox"}, "pass", "fail"},
        Row{{Fact::mxFound, Fact::mailboxDisabled}, 0, "invalid", {"disabled"}, "pass", "fail"},
        // Several rules: the lowest score wins, every code is listed.
        Row{{Fact::roleAccount, Fact::disposableDomain, Fact::mxFound, Fact::catchAll,
             Fact::mailboxAccepted},
            2,
            "risky",
            {"disposable", "role_email", "catch_all"},
            "pass",
            "pass"},
        Row{{Fact::roleAccount, Fact::mxFound, Fact::mailboxRefused},
            0,
            "invalid",
            {"mailbox", "role_email"},
            "pass",
            "fail"},
        Row{{Fact::likelyTypo, Fact::mxFound, Fact::greylisted},
            4,
            "risky",
            {"mailbox_unverified", "typo", "greylisted"},
            "pass",
            "n/a"},
        Row{{Fact::disposableDomain, Fact::domainNotFound},
            0,
            "invalid",
            {"domain", "disposable"},
            "fail",
            "n/a"},
        // Flagged syntax: parses, but never clean.
        Row{{Fact::quotedLocalPart, Fact::mxFound, Fact::mailboxAccepted},
            5,
            "risky",
            {},
            "pass",
            "pass"},
        Row{{Fact::ipLiteralDomain, Fact::mxFound, Fact::mailboxAccepted},
            5,
            "risky",
            {},
            "pass",
            "pass"}),
    [](const ::testing::TestParamInfo<Row>& param) { return "row" + std::to_string(param.index); });

TEST(Scoring, UnverifiedIsNeverInvalidOrValid) {
    for (Fact f : {Fact::smtpTimeout, Fact::greylisted, Fact::smtpBlocked, Fact::noConnect,
                   Fact::smtpUnverified, Fact::dnsUnresolved}) {
        const auto r = score(itemWith({Fact::mxFound, f}));
        EXPECT_EQ(r.classifier, "risky") << static_cast<int>(f);
        EXPECT_EQ(r.description.front(), "mailbox_unverified");
    }
}

TEST(Scoring, SuggestionIsCarried) {
    auto item = itemWith({Fact::likelyTypo});
    item.evidence.suggestion = "user@gmail.com";
    EXPECT_EQ(score(item).suggestion, "user@gmail.com");
}
