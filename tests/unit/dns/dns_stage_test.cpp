// What the dns stage records for each kind of DNS answer, against the fake server.
#include <gtest/gtest.h>

#include "dns_test_support.h"

namespace mailsift::stages::dns::test {
namespace {

using fakes::RecordType;
using std::chrono::milliseconds;

class DnsStageTest : public DnsTest {};

TEST_F(DnsStageTest, MxSortedByPreferenceWithAddresses) {
    zone()
        .mx("example.test", 20, "mx2.example.test")
        .mx("example.test", 10, "mx1.example.test")
        .mx("example.test", 10, "mx0.example.test")
        .a("mx1.example.test", "127.0.0.10")
        .a("mx2.example.test", "127.0.0.11")
        .a("mx2.example.test", "127.0.0.12")
        .a("mx0.example.test", "127.0.0.9");
    auto dns = stage();
    Batch batch = batchOf({"a@example.test", "b@example.test"});
    run(*dns, batch);
    for (const Item& item : batch.items) {
        EXPECT_TRUE(item.evidence.has(Fact::mxFound));
        EXPECT_FALSE(item.settled);
        ASSERT_EQ(item.evidence.mailServers.size(), 3U);
        EXPECT_EQ(item.evidence.mailServers[0].host, "mx0.example.test");  // ties by name
        EXPECT_EQ(item.evidence.mailServers[1].host, "mx1.example.test");
        EXPECT_EQ(item.evidence.mailServers[1].preference, 10);
        EXPECT_EQ(item.evidence.mailServers[1].addresses, std::vector<std::string>{"127.0.0.10"});
        EXPECT_EQ(item.evidence.mailServers[2].host, "mx2.example.test");
        EXPECT_EQ(item.evidence.mailServers[2].addresses,
                  (std::vector<std::string>{"127.0.0.11", "127.0.0.12"}));
        EXPECT_EQ(item.evidence.mxHost, "mx0.example.test");
    }
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 1U);  // one lookup per domain
    EXPECT_EQ(fake_.queries("mx1.example.test", RecordType::a), 1U);
    EXPECT_EQ(fake_.queries("mx1.example.test", RecordType::aaaa), 0U);
}

TEST_F(DnsStageTest, Ipv6AddsAaaaAddressesAfterIpv4) {
    zone()
        .mx("six.test", 5, "mx.six.test")
        .a("mx.six.test", "127.0.0.20")
        .aaaa("mx.six.test", "::1");
    auto dns = stage("\"ipv6\":true");
    Batch batch = batchOf({"a@six.test"});
    run(*dns, batch);
    ASSERT_EQ(batch.items[0].evidence.mailServers.size(), 1U);
    EXPECT_EQ(batch.items[0].evidence.mailServers[0].addresses,
              (std::vector<std::string>{"127.0.0.20", "::1"}));
}

TEST_F(DnsStageTest, ImplicitMxFromA) {
    zone().a("plain.test", "127.0.0.30");
    auto dns = stage();
    Batch batch = batchOf({"a@plain.test"});
    run(*dns, batch);
    const Evidence& evidence = batch.items[0].evidence;
    EXPECT_TRUE(evidence.has(Fact::mxFound));
    ASSERT_EQ(evidence.mailServers.size(), 1U);
    EXPECT_EQ(evidence.mailServers[0].host, "plain.test");
    EXPECT_EQ(evidence.mailServers[0].preference, 0);
    EXPECT_EQ(evidence.mailServers[0].addresses, std::vector<std::string>{"127.0.0.30"});
    EXPECT_EQ(evidence.mxHost, "plain.test");
}

TEST_F(DnsStageTest, NullMxIsNoUsableMx) {
    zone().nullMx("nullmx.test").a("nullmx.test", "127.0.0.31");
    auto dns = stage();
    Batch batch = batchOf({"a@nullmx.test"});
    run(*dns, batch);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::noUsableMx));
    EXPECT_TRUE(batch.items[0].settled);
    EXPECT_TRUE(batch.items[0].evidence.mailServers.empty());
    EXPECT_EQ(fake_.queries("nullmx.test", RecordType::a), 0U);  // no implicit MX fallback
}

TEST_F(DnsStageTest, NoMxAndNoAddressIsNoUsableMx) {
    zone().exists("empty.test");
    auto dns = stage();
    Batch batch = batchOf({"a@empty.test"});
    run(*dns, batch);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::noUsableMx));
    EXPECT_TRUE(batch.items[0].settled);
}

TEST_F(DnsStageTest, MxHostsWithoutAddressAreDropped) {
    zone()
        .mx("half.test", 10, "gone.half.test")
        .mx("half.test", 20, "ok.half.test")
        .a("ok.half.test", "127.0.0.40")
        .mx("none.test", 10, "gone1.none.test")
        .mx("none.test", 20, "gone2.none.test")
        .exists("gone2.none.test");
    auto dns = stage();
    Batch batch = batchOf({"a@half.test", "b@none.test"});
    run(*dns, batch);
    ASSERT_EQ(batch.items[0].evidence.mailServers.size(), 1U);
    EXPECT_EQ(batch.items[0].evidence.mailServers[0].host, "ok.half.test");
    EXPECT_EQ(batch.items[0].evidence.mxHost, "ok.half.test");
    EXPECT_TRUE(batch.items[1].evidence.has(Fact::noUsableMx));
    EXPECT_TRUE(batch.items[1].settled);
}

TEST_F(DnsStageTest, NxdomainIsDomainNotFound) {
    zone().nxdomain("gone.test");
    auto dns = stage();
    Batch batch = batchOf({"a@gone.test", "b@never-heard-of.test"});
    run(*dns, batch);
    for (const Item& item : batch.items) {
        EXPECT_TRUE(item.evidence.has(Fact::domainNotFound));
        EXPECT_TRUE(item.settled);
    }
}

TEST_F(DnsStageTest, ServfailAndRefusedAreUnresolvedNeverInvalid) {
    zone()
        .servfail("broken.test")
        .refused("closed.test")
        .mx("mxfail.test", 10, "mx.mxfail.test")
        .servfail("mx.mxfail.test");
    auto dns = stage();
    Batch batch = batchOf({"a@broken.test", "b@closed.test", "c@mxfail.test"});
    run(*dns, batch);
    for (const Item& item : batch.items) {
        EXPECT_TRUE(item.evidence.has(Fact::dnsUnresolved)) << item.input;
        EXPECT_FALSE(item.evidence.has(Fact::noUsableMx)) << item.input;
        EXPECT_FALSE(item.evidence.has(Fact::domainNotFound)) << item.input;
        EXPECT_TRUE(item.settled);
    }
}

TEST_F(DnsStageTest, NoAnswerAtAllIsUnresolvedWithinTimeoutTimesTries) {
    zone().drop("silent.test");
    auto dns = stage();  // 300 ms x 2 tries
    Batch batch = batchOf({"a@silent.test"});
    const auto started = std::chrono::steady_clock::now();
    run(*dns, batch);
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::dnsUnresolved));
    EXPECT_LT(took, milliseconds(900));
    EXPECT_GE(took, milliseconds(550));
    EXPECT_GE(fake_.queries("silent.test", RecordType::mx), 2U);  // it did retry
}

TEST_F(DnsStageTest, TruncatedUdpIsRetriedOverTcp) {
    zone().mx("big.test", 10, "mx.big.test").truncate("big.test").a("mx.big.test", "127.0.0.50");
    auto dns = stage();
    Batch batch = batchOf({"a@big.test"});
    run(*dns, batch);
    ASSERT_TRUE(batch.items[0].evidence.has(Fact::mxFound));
    EXPECT_EQ(batch.items[0].evidence.mxHost, "mx.big.test");
    EXPECT_GE(fake_.tcpQueries(), 1U);
}

TEST_F(DnsStageTest, IpLiteralIsItsOwnServerWithoutQueries) {
    auto dns = stage();
    Batch batch = batchOf({"a@[127.0.0.60]", "b@[IPv6:::1]", "c@[not-an-ip]"});
    run(*dns, batch);
    ASSERT_EQ(batch.items[0].evidence.mailServers.size(), 1U);
    EXPECT_EQ(batch.items[0].evidence.mailServers[0].host, "[127.0.0.60]");
    EXPECT_EQ(batch.items[0].evidence.mailServers[0].addresses,
              std::vector<std::string>{"127.0.0.60"});
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::mxFound));
    EXPECT_EQ(batch.items[1].evidence.mailServers[0].addresses, std::vector<std::string>{"::1"});
    EXPECT_TRUE(batch.items[2].evidence.has(Fact::noUsableMx));
    EXPECT_EQ(fake_.totalQueries(), 0U);
}

TEST_F(DnsStageTest, SettledAndEmptyDomainsAreSkipped) {
    zone().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.10");
    auto dns = stage();
    Batch batch = batchOf({"a@example.test", "nodomain@"});
    batch.items[0].settled = true;
    run(*dns, batch);
    EXPECT_TRUE(batch.items[0].evidence.facts.empty());
    EXPECT_TRUE(batch.items[1].evidence.facts.empty());
    EXPECT_EQ(fake_.totalQueries(), 0U);
}

TEST_F(DnsStageTest, MalformedAnswersNeverCrash) {
    using fakes::Malformation;
    zone()
        .malformed("garbage.test", Malformation::garbage)
        .malformed("short.test", Malformation::shortReply)
        .malformed("overrun.test", Malformation::overrun)
        .malformed("loop.test", Malformation::loop)
        .malformed("wrongid.test", Malformation::wrongId)
        .mx("badmx.test", 10, "mx.badmx.test")
        .malformed("mx.badmx.test", Malformation::overrun);
    auto dns = stage("\"timeout_ms\":100,\"tries\":1");
    Batch batch = batchOf({"a@garbage.test", "a@short.test", "a@overrun.test", "a@loop.test",
                           "a@wrongid.test", "a@badmx.test"});
    run(*dns, batch);
    for (const Item& item : batch.items) {
        EXPECT_TRUE(item.evidence.has(Fact::dnsUnresolved)) << item.input;
        EXPECT_TRUE(item.settled);
    }
}

}  // namespace
}  // namespace mailsift::stages::dns::test
