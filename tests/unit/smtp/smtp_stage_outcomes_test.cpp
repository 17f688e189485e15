// The smtp stage against the fake server: one outcome per recipient for every kind of answer,
// and never a refusal for a timeout, a 4xx or a policy block of our probe.
#include <gtest/gtest.h>

#include <thread>

#include "stage_fixture.h"

namespace mailsift::stages::smtp::test {
namespace {

class SmtpOutcomes : public SmtpStageTest {};

TEST_F(SmtpOutcomes, AcceptsKnownAndRefusesUnknownRecipients) {
    FakeSmtpBehaviour b;
    b.known = {"alice@a.test"};
    server.addAddress("127.7.0.1", b);
    startServer();
    auto stage = makeStage();
    Batch batch = batchOf({item("alice@a.test", {mx("mx1.a.test", 10, "127.7.0.1")}),
                           item("nobody@a.test", {mx("mx1.a.test", 10, "127.7.0.1")})});
    run(*stage, batch);

    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::mailboxAccepted}));
    EXPECT_EQ(batch.items[0].evidence.smtpResponse, "250 2.1.5 Ok");
    EXPECT_EQ(batch.items[0].evidence.mxHost, "mx1.a.test");
    EXPECT_EQ(smtpFacts(batch.items[1]), (std::vector<Fact>{Fact::mailboxRefused}));
    EXPECT_EQ(batch.items[1].evidence.smtpResponse,
              "550 5.1.1 <nobody@a.test>: Recipient address rejected: User unknown");
    const auto sessions = server.connections();
    ASSERT_EQ(sessions.size(), 1U) << "two recipients of one domain share a session";
    EXPECT_EQ(sessions[0].count("RCPT"), 3) << "two recipients and one catch-all probe";
    EXPECT_EQ(sessions[0].verbs().back(), "QUIT");
    EXPECT_EQ(server.dataCommands(), 0);
}

TEST_F(SmtpOutcomes, CatchAllProbedOncePerDomainAndCachedAcrossBatches) {
    FakeSmtpBehaviour b;
    b.catchAll = true;
    server.addAddress("127.7.0.2", b);
    startServer();
    auto stage = makeStage("\"catch_all_ttl_s\":3600");
    const std::vector<MailServer> servers{mx("mx.c.test", 5, "127.7.0.2")};
    Batch first = batchOf({item("a@c.test", servers), item("b@c.test", servers)});
    run(*stage, first);
    for (const Item& it : first.items)
        EXPECT_EQ(smtpFacts(it), (std::vector<Fact>{Fact::mailboxAccepted, Fact::catchAll}));
    EXPECT_EQ(server.commandCount("RCPT"), 3);

    Batch second = batchOf({item("c@c.test", servers)});
    run(*stage, second);
    EXPECT_EQ(smtpFacts(second.items[0]),
              (std::vector<Fact>{Fact::mailboxAccepted, Fact::catchAll}));
    EXPECT_EQ(server.commandCount("RCPT"), 4) << "the cached answer saves the second probe";

    host.offset = std::chrono::seconds(3601);  // past the TTL: probe again
    Batch third = batchOf({item("d@c.test", servers)});
    run(*stage, third);
    EXPECT_EQ(server.commandCount("RCPT"), 6);
}

TEST_F(SmtpOutcomes, ScriptedMailboxReplies) {
    FakeSmtpBehaviour b;
    b.rcptReplies = {{"full@d.test", "552 5.2.2 Mailbox full"},
                     {"gone@d.test", "550 5.2.1 Mailbox disabled"},
                     {"policy@d.test", "554 5.7.1 Service unavailable; client host blocked"},
                     {"textblock@d.test", "550 Rejected: IP listed at zen.spamhaus.org"},
                     {"multi@d.test", "550-5.1.1 No such user\n550 5.1.1 here"},
                     {"odd@d.test", "503 5.5.1 Bad sequence"},
                     {"temp@d.test", "450 4.2.0 Mailbox busy"}};
    server.addAddress("127.7.0.3", b);
    startServer();
    auto stage = makeStage("\"greylist_max_retries\":0");
    const std::vector<MailServer> servers{mx("mx.d.test", 0, "127.7.0.3")};
    Batch batch = batchOf({item("full@d.test", servers), item("gone@d.test", servers),
                           item("policy@d.test", servers), item("textblock@d.test", servers),
                           item("multi@d.test", servers), item("odd@d.test", servers),
                           item("temp@d.test", servers)});
    run(*stage, batch);
    const std::vector<Fact> expected{Fact::mailboxFull, Fact::mailboxDisabled, Fact::smtpBlocked,
                                     Fact::smtpBlocked, Fact::mailboxRefused,  Fact::smtpUnverified,
                                     Fact::greylisted};
    for (std::size_t i = 0; i < expected.size(); ++i)
        EXPECT_EQ(smtpFacts(batch.items[i]), std::vector<Fact>{expected[i]})
            << batch.items[i].input;
    EXPECT_EQ(batch.items[0].evidence.smtpResponse, "552 5.2.2 Mailbox full");
    EXPECT_EQ(batch.items[4].evidence.smtpResponse, "550 5.1.1 No such user here");
    EXPECT_EQ(batch.items[6].evidence.smtpResponse, "450 4.2.0 Mailbox busy");
}

TEST_F(SmtpOutcomes, PolicyBlocksAtGreetingEhloOrMailFromAreNeverRefusals) {
    FakeSmtpBehaviour banner;
    banner.bannerReply = "554 5.7.1 Client host 127.0.0.1 blocked using zen.spamhaus.org";
    FakeSmtpBehaviour hello;
    hello.ehloReply = "550 5.7.1 Go away";
    hello.heloReply = "550 5.7.1 Go away";
    FakeSmtpBehaviour mail;
    mail.mailReply = "550 5.7.1 Sender address rejected: not allowed";
    server.addAddress("127.7.0.4", banner);
    server.addAddress("127.7.0.5", hello);
    server.addAddress("127.7.0.6", mail);
    startServer();
    auto stage = makeStage();
    Batch batch = batchOf({item("a@e4.test", {mx("mx.e4.test", 0, "127.7.0.4")}),
                           item("a@e5.test", {mx("mx.e5.test", 0, "127.7.0.5")}),
                           item("a@e6.test", {mx("mx.e6.test", 0, "127.7.0.6")}),
                           item("b@e6.test", {mx("mx.e6.test", 0, "127.7.0.6")})});
    run(*stage, batch);
    for (const Item& it : batch.items)
        EXPECT_EQ(smtpFacts(it), (std::vector<Fact>{Fact::smtpBlocked})) << it.input;
    EXPECT_EQ(batch.items[0].evidence.smtpResponse,
              "554 5.7.1 Client host 127.0.0.1 blocked using zen.spamhaus.org");
    EXPECT_EQ(batch.items[2].evidence.smtpResponse,
              "550 5.7.1 Sender address rejected: not allowed");
    EXPECT_EQ(server.connections("127.7.0.5").at(0).verbs(),
              (std::vector<std::string>{"EHLO", "HELO", "QUIT"}))
        << "refused, we still say goodbye";
}

TEST_F(SmtpOutcomes, GreylistingClearedWithinTheBatch) {
    FakeSmtpBehaviour b;
    b.known = {"grey@g.test"};
    b.greylist = 150ms;
    server.addAddress("127.7.0.7", b);
    startServer();
    auto stage = makeStage("\"greylist_retry_ms\":200,\"catch_all_probe\":false");
    Batch batch = batchOf({item("grey@g.test", {mx("mx.g.test", 0, "127.7.0.7")})}, 5000ms);
    run(*stage, batch);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::mailboxAccepted}));
    EXPECT_EQ(batch.items[0].evidence.smtpResponse, "250 2.1.5 Ok");
    EXPECT_EQ(server.connections().size(), 2U) << "first 451, then a new session after the delay";
}

TEST_F(SmtpOutcomes, GreylistingNotClearedBeforeTheDeadlineIsGreylistedNotRefused) {
    FakeSmtpBehaviour b;
    b.known = {"grey@h.test"};
    b.greylist = 60s;
    server.addAddress("127.7.0.8", b);
    startServer();
    auto stage = makeStage("\"greylist_retry_ms\":200,\"greylist_max_retries\":5");
    const auto started = std::chrono::steady_clock::now();
    Batch batch = batchOf({item("grey@h.test", {mx("mx.h.test", 0, "127.7.0.8")}),
                           item("other@h.test", {mx("mx.h.test", 0, "127.7.0.8")})},
                          700ms);
    run(*stage, batch);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
    for (const Item& it : batch.items) {
        EXPECT_EQ(smtpFacts(it), (std::vector<Fact>{Fact::greylisted})) << it.input;
        EXPECT_EQ(it.evidence.smtpResponse.substr(0, 9), "451 4.7.1");
    }
    EXPECT_GE(server.connections().size(), 2U) << "retried while the deadline allowed";
}

TEST_F(SmtpOutcomes, SlowBannerTimesOutAndDropIsNoConnect) {
    FakeSmtpBehaviour slow;
    slow.bannerDelay = 600ms;
    FakeSmtpBehaviour drop;
    drop.dropAfterConnect = true;
    server.addAddress("127.7.0.9", slow);
    server.addAddress("127.7.0.10", drop);
    startServer();
    auto stage = makeStage("\"banner_timeout_ms\":200");
    Batch batch = batchOf({item("a@slow.test", {mx("mx.slow.test", 0, "127.7.0.9")}),
                           item("a@drop.test", {mx("mx.drop.test", 0, "127.7.0.10")})});
    run(*stage, batch);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::smtpTimeout}));
    EXPECT_EQ(smtpFacts(batch.items[1]), (std::vector<Fact>{Fact::noConnect}));
    EXPECT_EQ(batch.items[1].evidence.smtpResponse, "");
}

TEST_F(SmtpOutcomes, FallsBackToTheNextMxInPreferenceOrder) {
    FakeSmtpBehaviour b;
    b.known = {"a@f.test"};
    server.addAddress("127.7.0.12", b);
    startServer();  // nothing listens on 127.7.0.11: connection refused
    auto stage = makeStage();
    Batch batch = batchOf({item("a@f.test", {mx("backup.f.test", 20, "127.7.0.12"),
                                             mx("primary.f.test", 10, "127.7.0.11")})});
    run(*stage, batch);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::mailboxAccepted}));
    EXPECT_EQ(batch.items[0].evidence.mxHost, "backup.f.test");

    Batch none = batchOf({item("a@n.test", {mx("only.n.test", 10, "127.7.0.13")})});
    run(*stage, none);
    EXPECT_EQ(smtpFacts(none.items[0]), (std::vector<Fact>{Fact::noConnect}));
    EXPECT_EQ(none.items[0].evidence.mxHost, "only.n.test");
}

TEST_F(SmtpOutcomes, SessionClosedMidwayIsRetriedThenNoConnect) {
    FakeSmtpBehaviour b;
    b.known = {"a@m.test"};
    b.closeAfterCommands = 3;  // EHLO, MAIL, then the first RCPT closes the connection
    server.addAddress("127.7.0.14", b);
    startServer();
    auto stage = makeStage("\"catch_all_probe\":false");
    Batch batch = batchOf({item("a@m.test", {mx("mx.m.test", 0, "127.7.0.14")})});
    run(*stage, batch);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::noConnect}));
    EXPECT_EQ(server.connections().size(), 2U) << "one more session, then give up";
}

TEST_F(SmtpOutcomes, Utf8LocalPartsNeedSmtpUtf8) {
    FakeSmtpBehaviour plain;
    plain.catchAll = true;
    FakeSmtpBehaviour utf8 = plain;
    utf8.smtputf8 = true;
    server.addAddress("127.7.0.15", plain);
    server.addAddress("127.7.0.16", utf8);
    startServer();
    auto stage = makeStage("\"catch_all_probe\":false");
    Batch batch = batchOf({item("j\xC3\xBCrgen@p.test", {mx("mx.p.test", 0, "127.7.0.15")}),
                           item("j\xC3\xBCrgen@u.test", {mx("mx.u.test", 0, "127.7.0.16")})});
    run(*stage, batch);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::smtpUnverified}));
    EXPECT_EQ(smtpFacts(batch.items[1]), (std::vector<Fact>{Fact::mailboxAccepted}));
    EXPECT_EQ(server.commandCount("RCPT", "127.7.0.15"), 0);
    const auto commands = server.connections("127.7.0.16").at(0).commands;
    const auto mail = std::find_if(commands.begin(), commands.end(),
                                   [](const auto& c) { return c.line.rfind("MAIL", 0) == 0; });
    ASSERT_NE(mail, commands.end());
    EXPECT_EQ(mail->line, "MAIL FROM:<verify@probe.mailsift.test> SMTPUTF8");
}

TEST_F(SmtpOutcomes, SkipsSettledItemsAndItemsWithoutMailServers) {
    server.addAddress("127.7.0.17", FakeSmtpBehaviour{});
    startServer();
    auto stage = makeStage();
    Batch batch =
        batchOf({item("a@s.test", {mx("mx.s.test", 0, "127.7.0.17")}), item("b@s.test", {})});
    batch.items[0].settled = true;
    run(*stage, batch);
    EXPECT_TRUE(batch.items[0].evidence.facts.empty());
    EXPECT_TRUE(batch.items[1].evidence.facts.empty());
    EXPECT_TRUE(server.connections().empty());
}

TEST_F(SmtpOutcomes, HonoursTheDeadlinePromptly) {
    FakeSmtpBehaviour slow;
    slow.bannerDelay = 5000ms;
    server.addAddress("127.7.0.18", slow);
    startServer();
    auto stage = makeStage("\"banner_timeout_ms\":30000");
    Batch batch = batchOf({item("a@t.test", {mx("mx.t.test", 0, "127.7.0.18")})}, 300ms);
    const auto started = std::chrono::steady_clock::now();
    StageContext context{host};
    stage->run(batch, context);
    EXPECT_LT(std::chrono::steady_clock::now() - started, 800ms);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::smtpTimeout}));
}

TEST_F(SmtpOutcomes, HonoursCancellationPromptly) {
    FakeSmtpBehaviour slow;
    slow.replyDelay = 400ms;
    server.addAddress("127.7.0.19", slow);
    startServer();
    auto stage = makeStage("\"command_timeout_ms\":30000,\"banner_timeout_ms\":30000");
    std::atomic<bool> cancel{false};
    Batch batch = batchOf({item("a@u.test", {mx("mx.u.test", 0, "127.7.0.19")})}, 30000ms);
    batch.cancelFlag = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancel = true;
    });
    const auto started = std::chrono::steady_clock::now();
    StageContext context{host};
    stage->run(batch, context);
    canceller.join();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 700ms);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::smtpTimeout}));
}

}  // namespace
}  // namespace mailsift::stages::smtp::test
