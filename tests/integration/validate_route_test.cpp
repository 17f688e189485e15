// POST /v1/email/validate end to end: the real mailsift-server with the five real stage plugins,
// asking a fake DNS server and a fake SMTP server on loopback. Every description code and every
// row of the score table (API.md) must arise in its situation; what cannot be verified (timeouts,
// greylisting, 4xx, blocks) is never `invalid`; the per-host session cap holds.
//
// Under ctest each TEST_F runs in its own process (gtest_discover_tests): fresh fakes, a fresh
// server, empty caches. Run directly, the tests share one environment; each counts only the
// sessions it caused.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/validate_route_environment.h"

using namespace mailsift::testing;

namespace {

using namespace mailsift::testing::mx;
using Environment = ValidateRouteEnvironment;

/// What one result must say, field by field.
struct Expected {
    std::string email;
    std::string syntax;
    std::string mx;
    std::string mailbox;
    int score;
    std::string classifier;
    std::vector<std::string> description;
    std::string smtpResponse;
};

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
    std::vector<std::string> out;
    for (std::size_t i = 0; array && i < array->size(); ++i)
        out.push_back(array->getElement<std::string>(static_cast<unsigned>(i)));
    return out;
}

class ValidateRoute : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { env_ = new Environment; }
    static void TearDownTestSuite() {
        delete env_;
        env_ = nullptr;
    }
    /// Each test counts only its own sessions (the server's caches persist within the process).
    void SetUp() override { env_->smtp().clearRecords(); }
    void TearDown() override { EXPECT_EQ(env_->smtp().dataCommands(), 0) << "a probe sent DATA"; }

    /// RCPT commands for `address` that the server at `ip` received.
    static int rcptsFor(const std::string& ip, const std::string& address) {
        int count = 0;
        for (const auto& connection : env_->smtp().connections(ip)) {
            for (const auto& command : connection.commands)
                count += command.line.find("<" + address + ">") != std::string::npos ? 1 : 0;
        }
        return count;
    }

    static HttpResponse post(const std::string& body) {
        return env_->fixture()
            .client(env_->server())
            .request("POST", "/v1/email/validate", env_->fixture().bootstrapKey(), body);
    }

    /// POSTs the addresses, expects 200 and returns the parsed body.
    static Poco::JSON::Object::Ptr validate(const std::vector<std::string>& emails) {
        Poco::JSON::Array list;
        for (const std::string& email : emails)
            list.add(email);
        Poco::JSON::Object body;
        body.set("emails", list);
        std::ostringstream text;
        body.stringify(text);
        const HttpResponse response = post(text.str());
        EXPECT_EQ(response.status, 200) << response.body;
        const auto parsed = Poco::JSON::Parser().parse(response.body);
        auto object = parsed.extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(object->getArray("results")->size(), emails.size()) << response.body;
        return object;
    }

    static Poco::JSON::Object::Ptr resultAt(const Poco::JSON::Object::Ptr& body, std::size_t i) {
        return body->getArray("results")->getObject(static_cast<unsigned>(i));
    }

    /// Sends the expected addresses in one request and checks every field of every result.
    static Poco::JSON::Object::Ptr expectAll(const std::vector<Expected>& table) {
        std::vector<std::string> emails;
        for (const Expected& row : table)
            emails.push_back(row.email);
        auto body = validate(emails);
        for (std::size_t i = 0; i < table.size(); ++i) {
            const Expected& want = table[i];
            const auto entry = resultAt(body, i);
            EXPECT_EQ(entry->getValue<std::string>("email"), want.email);
            const auto got = entry->getObject("result");
            std::ostringstream json;
            got->stringify(json);
            SCOPED_TRACE(want.email + " -> " + json.str());
            EXPECT_EQ(got->getValue<std::string>("syntax"), want.syntax);
            EXPECT_EQ(got->getValue<std::string>("mx"), want.mx);
            EXPECT_EQ(got->getValue<std::string>("mailbox"), want.mailbox);
            EXPECT_EQ(got->getValue<int>("score"), want.score);
            EXPECT_EQ(got->getValue<std::string>("classifier"), want.classifier);
            EXPECT_EQ(strings(got->getArray("description")), want.description);
            EXPECT_EQ(got->getValue<std::string>("smtpResponse"), want.smtpResponse);
        }
        return body;
    }

    static inline Environment* env_ = nullptr;
};

const std::string kOk = "250 2.1.5 Ok";
const std::string kUnverified = "mailbox_unverified";

TEST_F(ValidateRoute, EveryDescriptionCodeAndScoreRowArisesInItsSituation) {
    const std::vector<Expected> table{
        // 10, valid: accepted by a server that refuses unknown recipients.
        {"alice@good.test", "pass", "pass", "pass", 10, "valid", {}, kOk},
        // 0, invalid: syntax, NXDOMAIN, null MX, MX without address, 5.1.1, 5.2.1.
        {"not-an-email", "fail", "n/a", "n/a", 0, "invalid", {"syntax"}, ""},
        {"alice@nosuchdomain.test", "pass", "fail", "n/a", 0, "invalid", {"domain"}, ""},
        {"alice@nullmx.test", "pass", "fail", "n/a", 0, "invalid", {"invalid_mx"}, ""},
        {"alice@hostless.test", "pass", "fail", "n/a", 0, "invalid", {"invalid_mx"}, ""},
        {"gone@good.test",
         "pass",
         "pass",
         "fail",
         0,
         "invalid",
         {"mailbox"},
         "550 5.1.1 <gone@good.test>: Recipient address rejected: User unknown"},
        {"disabled@good.test",
         "pass",
         "pass",
         "fail",
         0,
         "invalid",
         {"disabled"},
         "550 5.2.1 <disabled@good.test>: Account disabled"},
        // 2: disposable provider. 4: mailbox full, likely typo. 5: role. 6: catch-all.
        {"alice@mailinator.com", "pass", "pass", "pass", 2, "risky", {"disposable"}, kOk},
        {"full@good.test",
         "pass",
         "pass",
         "fail",
         4,
         "risky",
         {"mailbox_full"},
         "552 5.2.2 <full@good.test>: Mailbox full"},
        {"alice@gmial.com", "pass", "pass", "pass", 4, "risky", {"typo"}, kOk},
        {"info@good.test", "pass", "pass", "pass", 5, "risky", {"role_email"}, kOk},
        {"alice@catchall.test", "pass", "pass", "pass", 6, "risky", {"catch_all"}, kOk},
        // Several rules: the lowest score wins, every code is listed in table order.
        {"info@catchall.test",
         "pass",
         "pass",
         "pass",
         5,
         "risky",
         {"role_email", "catch_all"},
         kOk},
        // 7: the domain could not be resolved for now (SERVFAIL, DNS timeout).
        {"alice@servfail.test", "pass", "n/a", "n/a", 7, "risky", {kUnverified}, ""},
        {"alice@dnsdrop.test", "pass", "n/a", "n/a", 7, "risky", {kUnverified}, ""},
        // 9: the domain takes mail but the mailbox could not be verified.
        {"alice@greystuck.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "greylisted"},
         "451 4.7.1 <alice@greystuck.test>: Recipient address rejected: Greylisted, try later"},
        {"alice@slow.test", "pass", "pass", "n/a", 9, "risky", {kUnverified, "smtp_timeout"}, ""},
        {"alice@blockedbanner.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "smtp_blocked"},
         "554 5.7.1 Client host blocked"},
        {"alice@noconnect.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "no_connect"},
         ""},
    };
    const auto body = expectAll(table);
    EXPECT_EQ(body->getValue<int>("creditsUsed"), static_cast<int>(table.size()));

    // Every code of API.md but `blacklist` (no stage records blocklisted yet) came up.
    std::set<std::string> seen;
    for (const Expected& row : table)
        seen.insert(row.description.begin(), row.description.end());
    const std::set<std::string> all{"syntax",       "domain",       "invalid_mx", "mailbox",
                                    "disabled",     "mailbox_full", "role_email", "disposable",
                                    "catch_all",    "typo",         "greylisted", "smtp_timeout",
                                    "smtp_blocked", "no_connect",   kUnverified};
    EXPECT_EQ(seen, all);
    std::set<int> scores;
    for (const Expected& row : table)
        scores.insert(row.score);
    EXPECT_EQ(scores, (std::set<int>{0, 2, 4, 5, 6, 7, 9, 10}));

    // Extension fields: the typo's suggestion, the free provider, the answering MX.
    const auto typo = resultAt(body, 9)->getObject("result");
    EXPECT_EQ(typo->getValue<std::string>("suggestion"), "alice@gmail.com");
    EXPECT_EQ(resultAt(body, 0)->getObject("result")->getValue<std::string>("mxHost"),
              "mx.good.test");
}

TEST_F(ValidateRoute, WhatCannotBeVerifiedIsNeverInvalid) {
    const std::vector<Expected> table{
        // Greylisting that clears within the request: asked again, accepted, valid.
        {"alice@greyclears.test", "pass", "pass", "pass", 10, "valid", {}, kOk},
        // The preferred MX refuses the connection; the next one answers.
        {"alice@fallback.test", "pass", "pass", "pass", 10, "valid", {}, kOk},
        // Greylisting that never clears, and a 4xx that stays.
        {"bob@greystuck.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "greylisted"},
         "451 4.7.1 <bob@greystuck.test>: Recipient address rejected: Greylisted, try later"},
        {"tempfail@good.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "greylisted"},
         "450 4.2.1 <tempfail@good.test>: Mailbox busy, try later"},
        // Timeout at the greeting.
        {"bob@slow.test", "pass", "pass", "n/a", 9, "risky", {kUnverified, "smtp_timeout"}, ""},
        // Policy blocks: 554 at the greeting, 5.7.1 at MAIL FROM, 5.7.1 at RCPT.
        {"bob@blockedbanner.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "smtp_blocked"},
         "554 5.7.1 Client host blocked"},
        {"alice@blockedmail.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "smtp_blocked"},
         "550 5.7.1 Sender address rejected: Access denied"},
        {"refusedpolicy@good.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "smtp_blocked"},
         "550 5.7.1 <refusedpolicy@good.test>: Rejected by policy"},
        // 421 at the greeting (backed off, retried, given up), 421 at RCPT.
        {"alice@busy.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "no_connect"},
         "421 4.7.0 Service not available, try again later"},
        {"alice@rcpt421.test",
         "pass",
         "pass",
         "n/a",
         9,
         "risky",
         {kUnverified, "no_connect"},
         "421 4.7.0 Too many connections, closing"},
        // Nobody listens; the server hangs up before the greeting; or in the middle.
        {"bob@noconnect.test", "pass", "pass", "n/a", 9, "risky", {kUnverified, "no_connect"}, ""},
        {"alice@drops.test", "pass", "pass", "n/a", 9, "risky", {kUnverified, "no_connect"}, ""},
        {"alice@closes.test", "pass", "pass", "n/a", 9, "risky", {kUnverified, "no_connect"}, ""},
        // DNS that cannot answer for now.
        {"bob@servfail.test", "pass", "n/a", "n/a", 7, "risky", {kUnverified}, ""},
        {"bob@dnsdrop.test", "pass", "n/a", "n/a", 7, "risky", {kUnverified}, ""},
    };
    const auto body = expectAll(table);
    const auto results = body->getArray("results");
    for (std::size_t i = 0; i < results->size(); ++i) {
        const auto result = results->getObject(static_cast<unsigned>(i))->getObject("result");
        EXPECT_NE(result->getValue<std::string>("classifier"), "invalid") << table[i].email;
    }
    // The greylisted recipient really was asked twice: once refused for now, then accepted.
    EXPECT_EQ(rcptsFor(kGreyClears, "alice@greyclears.test"), 2);
    // The one that never clears was asked 1 + greylist_max_retries times, then left unverified.
    EXPECT_EQ(rcptsFor(kGreyStuck, "bob@greystuck.test"), 3);
    EXPECT_EQ(resultAt(body, 1)->getObject("result")->getValue<std::string>("mxHost"),
              "mx.good.test");
}

TEST_F(ValidateRoute, PerHostCapHoldsForSixtyRecipientsOnOneHostAndAcrossRequests) {
    // Three MX names, one address: the cap is per address, whatever the names.
    std::vector<std::string> emails;
    for (int i = 1; i <= 60; ++i)
        emails.push_back(Environment::localPart(i) + "@cap" + std::to_string(1 + i % 3) + ".test");
    // Meanwhile another request asks the same host about two more domains: the cap is shared.
    std::vector<std::string> others;
    for (int i = 61; i <= 100; ++i)
        others.push_back(Environment::localPart(i) + "@cap" + std::to_string(4 + i % 2) + ".test");
    Poco::JSON::Object::Ptr otherBody;
    std::thread other([&] { otherBody = validate(others); });
    const auto body = validate(emails);
    other.join();
    for (std::size_t i = 0; i < emails.size(); ++i)
        EXPECT_EQ(resultAt(body, i)->getObject("result")->getValue<int>("score"), 10) << emails[i];
    for (std::size_t i = 0; i < others.size(); ++i)
        EXPECT_EQ(resultAt(otherBody, i)->getObject("result")->getValue<int>("score"), 10)
            << others[i];
    EXPECT_EQ(env_->smtp().maxConcurrent(kCapped), 2) << "the cap was reached and never exceeded";
    // One RCPT per recipient, nothing asked twice.
    for (const std::string& email : emails)
        EXPECT_EQ(rcptsFor(kCapped, email), 1) << email;
}

TEST_F(ValidateRoute, HundredAddressesAnsweredInInputOrder) {
    std::vector<std::string> emails;
    for (int i = 100; i >= 1; --i) {  // reversed and spread, so order is not an accident
        const std::string local = Environment::localPart(i);
        emails.push_back(i % 10 == 0 ? local + "@nosuchdomain.test"
                                     : local + "@cap" + std::to_string(1 + i % 5) + ".test");
    }
    const auto body = validate(emails);
    EXPECT_EQ(body->getValue<int>("creditsUsed"), 100);
    std::set<std::string> contextIds;
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const auto entry = resultAt(body, i);
        EXPECT_EQ(entry->getValue<std::string>("email"), emails[i]);
        contextIds.insert(entry->getValue<std::string>("contextId"));
        const bool dead = emails[i].ends_with("@nosuchdomain.test");
        EXPECT_EQ(entry->getObject("result")->getValue<int>("score"), dead ? 0 : 10) << emails[i];
    }
    EXPECT_EQ(contextIds.size(), emails.size()) << "contextId is unique per result";
    EXPECT_LE(env_->smtp().maxConcurrent(kCapped), 2);
}

TEST_F(ValidateRoute, DuplicatesCostOneCreditAndKeepTheirPlace) {
    const std::vector<std::string> emails{"alice@good.test",    "gone@good.test", "alice@GOOD.test",
                                          "  alice@good.test ", "gone@good.test", "not-an-email"};
    const auto body = validate(emails);
    EXPECT_EQ(body->getValue<int>("creditsUsed"), 3);
    const std::vector<int> scores{10, 0, 10, 10, 0, 0};
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const auto entry = resultAt(body, i);
        EXPECT_EQ(entry->getValue<std::string>("email"), emails[i]);
        EXPECT_EQ(entry->getObject("result")->getValue<int>("score"), scores[i]) << emails[i];
    }
    // Checked once each.
    EXPECT_EQ(rcptsFor(kGood, "alice@good.test"), 1);
    EXPECT_EQ(rcptsFor(kGood, "gone@good.test"), 1);
}

TEST_F(ValidateRoute, BadRequestsAnswer400WithASentence) {
    std::string hundredOne = R"({"emails":[)";
    for (int i = 0; i < 101; ++i)
        hundredOne += (i ? "," : "") + std::string("\"a") + std::to_string(i) + "@good.test\"";
    hundredOne += "]}";
    const std::vector<std::string> bodies{R"({"emails":[]})",
                                          hundredOne,
                                          "this is not JSON",
                                          R"({"emails":["a@good.test",5]})",
                                          R"({})",
                                          R"({"emails":"a@good.test"})",
                                          R"([])"};
    for (const std::string& body : bodies) {
        const HttpResponse response = post(body);
        EXPECT_EQ(response.status, 400) << body.substr(0, 60) << " -> " << response.body;
        const auto parsed = Poco::JSON::Parser().parse(response.body);
        const auto error = parsed.extract<Poco::JSON::Object::Ptr>();
        EXPECT_FALSE(error->getValue<std::string>("error").empty()) << response.body;
    }
    EXPECT_EQ(env_->smtp().commandCount("RCPT"), 0) << "a refused request checks nothing";
    const auto unauthorised =
        env_->fixture()
            .client(env_->server())
            .request("POST", "/v1/email/validate", "", R"({"emails":["a@b.c"]})");
    EXPECT_EQ(unauthorised.status, 401);
}

}  // namespace
