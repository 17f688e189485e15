// The smtp stage's manners and speed against the fake: per-host and global caps, many recipients
// per session with RSET, PIPELINING and STARTTLS when offered, 421 back-off, concurrent batches.
#include <gtest/gtest.h>

#include <thread>

#include "stage_fixture.h"

namespace mailsift::stages::smtp::test {
namespace {

class SmtpPool : public SmtpStageTest {};

std::vector<Item> recipients(const std::string& domain, int count,
                             const std::vector<MailServer>& servers,
                             const std::string& prefix = "user") {
    std::vector<Item> items;
    for (int i = 0; i < count; ++i)
        items.push_back(item(prefix + std::to_string(i) + "@" + domain, servers));
    return items;
}

FakeSmtpBehaviour knownLocals(int count, const std::string& prefix = "user") {
    FakeSmtpBehaviour b;
    for (int i = 0; i < count; i += 2)  // every other one exists
        b.knownLocal.insert(prefix + std::to_string(i));
    return b;
}

void expectAlternating(const Batch& batch) {
    for (std::size_t i = 0; i < batch.items.size(); ++i) {
        const Fact expected = i % 2 == 0 ? Fact::mailboxAccepted : Fact::mailboxRefused;
        EXPECT_EQ(smtpFacts(batch.items[i]), std::vector<Fact>{expected}) << batch.items[i].input;
    }
}

TEST_F(SmtpPool, PerHostCapNeverExceeded) {
    FakeSmtpBehaviour b = knownLocals(100);
    b.replyDelay = 2ms;
    server.addAddress("127.8.0.1", b);
    startServer();
    auto stage = makeStage("\"per_host_connections\":2,\"max_rcpt_per_session\":10");
    Batch batch = batchOf(recipients("cap.test", 100, {mx("mx.cap.test", 0, "127.8.0.1")}));
    run(*stage, batch);
    expectAlternating(batch);
    EXPECT_LE(server.maxConcurrent("127.8.0.1"), 2);
    EXPECT_EQ(server.connections().size(), 11U) << "101 RCPTs (with the probe), 10 per session";
    EXPECT_EQ(server.commandCount("RCPT"), 101);
    EXPECT_EQ(stage->limiter().openTotal(), 0);
}

TEST_F(SmtpPool, ManyRecipientsPerSessionWithRsetBetweenTransactions) {
    server.addAddress("127.8.0.2", knownLocals(120));
    startServer();
    auto stage = makeStage("\"per_host_connections\":1,\"max_rcpt_per_transaction\":50");
    Batch batch = batchOf(recipients("rset.test", 120, {mx("mx.rset.test", 0, "127.8.0.2")}));
    run(*stage, batch);
    expectAlternating(batch);
    const auto sessions = server.connections();
    ASSERT_EQ(sessions.size(), 1U);
    const FakeSmtpConnection& session = sessions[0];
    EXPECT_EQ(session.count("RCPT"), 121);
    EXPECT_EQ(session.count("MAIL"), 3);
    EXPECT_EQ(session.count("RSET"), 2);
    EXPECT_EQ(session.count("DATA"), 0);
    const std::vector<std::string> verbs = session.verbs();
    EXPECT_EQ(verbs.front(), "EHLO");
    EXPECT_EQ(verbs.back(), "QUIT");
    for (std::size_t i = 1; i < verbs.size(); ++i) {
        if (verbs[i] == "MAIL" && i > 1) {
            EXPECT_EQ(verbs[i - 1], "RSET") << "a new transaction starts with RSET";
        }
    }
}

TEST_F(SmtpPool, PipelinesWhenOfferedAndOnlyThen) {
    FakeSmtpBehaviour with = knownLocals(20);
    with.replyDelay = 5ms;
    FakeSmtpBehaviour without = with;
    without.pipelining = false;
    server.addAddress("127.8.0.3", with);
    server.addAddress("127.8.0.4", without);
    startServer();
    auto stage = makeStage("\"per_host_connections\":1");
    std::vector<Item> items = recipients("pipe.test", 20, {mx("mx.pipe.test", 0, "127.8.0.3")});
    for (Item& it : recipients("nopipe.test", 20, {mx("mx.nopipe.test", 0, "127.8.0.4")}))
        items.push_back(std::move(it));
    Batch batch = batchOf(std::move(items));
    run(*stage, batch);
    expectAlternating(batch);

    const auto countPipelined = [](const FakeSmtpConnection& c) {
        return std::count_if(c.commands.begin(), c.commands.end(),
                             [](const auto& command) { return command.pipelined; });
    };
    const auto piped = server.connections("127.8.0.3").at(0);
    const auto plain = server.connections("127.8.0.4").at(0);
    EXPECT_EQ(countPipelined(piped), 21) << "every RCPT after MAIL went in one write";
    EXPECT_EQ(countPipelined(plain), 0);

    auto noPipelining = makeStage("\"per_host_connections\":1,\"pipelining\":false");
    server.clearRecords();
    Batch again = batchOf(recipients("pipe.test", 4, {mx("mx.pipe.test", 0, "127.8.0.3")}));
    run(*noPipelining, again);
    EXPECT_EQ(countPipelined(server.connections("127.8.0.3").at(0)), 0);
}

TEST_F(SmtpPool, NegotiatesStartTlsWhenOffered) {
    FakeSmtpBehaviour tls = knownLocals(4);
    tls.starttls = true;
    server.addAddress("127.8.0.5", tls);
    startServer();
    auto stage = makeStage();
    Batch batch = batchOf(recipients("tls.test", 4, {mx("mx.tls.test", 0, "127.8.0.5")}));
    run(*stage, batch);
    expectAlternating(batch);
    const auto session = server.connections("127.8.0.5").at(0);
    EXPECT_TRUE(session.tls);
    const std::vector<std::string> verbs = session.verbs();
    ASSERT_GE(verbs.size(), 4U);
    EXPECT_EQ(verbs[0], "EHLO");
    EXPECT_EQ(verbs[1], "STARTTLS");
    EXPECT_EQ(verbs[2], "EHLO") << "EHLO again inside TLS";
    for (std::size_t i = 2; i < session.commands.size(); ++i)
        EXPECT_TRUE(session.commands[i].tls) << session.commands[i].line;

    auto plainStage = makeStage("\"starttls\":false");
    server.clearRecords();
    Batch plain = batchOf(recipients("tls.test", 2, {mx("mx.tls.test", 0, "127.8.0.5")}));
    run(*plainStage, plain);
    EXPECT_EQ(server.commandCount("STARTTLS"), 0);
}

TEST_F(SmtpPool, BacksOffAfter421AndStillGetsAnswers) {
    FakeSmtpBehaviour b = knownLocals(16);
    b.maxConnectionsPerClient = 1;
    b.replyDelay = 10ms;
    server.addAddress("127.8.0.6", b);
    startServer();
    auto stage = makeStage("\"per_host_connections\":2,\"backoff_initial_ms\":100");
    Batch batch = batchOf(recipients("busy.test", 16, {mx("mx.busy.test", 0, "127.8.0.6")}));
    run(*stage, batch);
    expectAlternating(batch);
    int refused = 0;
    for (const FakeSmtpConnection& c : server.connections()) {
        if (!c.replies.empty() && c.replies[0].rfind("421", 0) == 0)
            ++refused;
    }
    EXPECT_GE(refused, 1) << "the second parallel session met the connection limit";
    EXPECT_LE(refused, 3) << "and we backed off instead of hammering";
}

TEST_F(SmtpPool, GlobalCapHoldsAcrossConcurrentBatches) {
    std::vector<std::string> ips;
    for (int i = 1; i <= 6; ++i) {
        ips.push_back("127.8.1." + std::to_string(i));
        FakeSmtpBehaviour b = knownLocals(8);
        b.replyDelay = 5ms;
        server.addAddress(ips.back(), b);
    }
    startServer();
    auto stage = makeStage("\"max_connections\":3,\"per_host_connections\":2");
    std::vector<Batch> batches;
    for (int k = 0; k < 2; ++k) {
        std::vector<Item> items;
        for (int i = 0; i < 6; ++i) {
            const std::string domain = "d" + std::to_string(i) + ".test";
            for (Item& it :
                 recipients(domain, 8, {mx("mx." + domain, 0, ips[static_cast<std::size_t>(i)])}))
                items.push_back(std::move(it));
        }
        batches.push_back(batchOf(std::move(items)));
    }
    std::thread other([&] {
        StageContext context{host};
        stage->run(batches[1], context);
    });
    run(*stage, batches[0]);
    other.join();
    server.waitIdle(2s);
    for (const Batch& batch : batches) {
        for (std::size_t i = 0; i < batch.items.size(); ++i) {
            const Fact expected = (i % 8) % 2 == 0 ? Fact::mailboxAccepted : Fact::mailboxRefused;
            EXPECT_EQ(smtpFacts(batch.items[i]), std::vector<Fact>{expected});
        }
    }
    EXPECT_LE(maxOverlap(server.connections()), 3);
    for (const std::string& ip : ips)
        EXPECT_LE(server.maxConcurrent(ip), 2);
}

TEST_F(SmtpPool, DomainsRunInParallel) {
    // 20 domains, 5 recipients each, 20 ms before every reply. One domain alone needs greeting +
    // EHLO + MAIL + 6 RCPT (with the catch-all probe) + QUIT = 10 delays, 200 ms; in parallel the
    // batch should take about that, not 20 times it.
    std::vector<Item> items;
    for (int i = 1; i <= 20; ++i) {
        const std::string ip = "127.8.2." + std::to_string(i);
        FakeSmtpBehaviour b = knownLocals(5);
        b.replyDelay = 20ms;
        server.addAddress(ip, b);
        const std::string domain = "p" + std::to_string(i) + ".test";
        for (Item& it : recipients(domain, 5, {mx("mx." + domain, 0, ip)}))
            items.push_back(std::move(it));
    }
    startServer();
    auto stage = makeStage();
    Batch batch = batchOf(std::move(items));
    const auto started = std::chrono::steady_clock::now();
    StageContext context{host};
    stage->run(batch, context);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    server.waitIdle(2s);
    EXPECT_LT(elapsed, 600ms) << "about 10 reply delays of 20 ms when domains run in parallel";
    EXPECT_LE(server.connections().size(), 40U);
    std::cout << "[ timing ] 100 addresses over 20 domains, 20 ms per reply: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms, "
              << server.connections().size() << " sessions\n";
}

}  // namespace
}  // namespace mailsift::stages::smtp::test
