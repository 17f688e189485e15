// The dns stage's cache across batches: hits do no I/O, TTLs expire, negative answers are kept,
// failures only briefly, and the size bound holds.
#include <gtest/gtest.h>

#include "dns_test_support.h"

namespace mailsift::stages::dns::test {
namespace {

using fakes::RecordType;
using std::chrono::seconds;

class DnsStageCacheTest : public DnsTest {
  protected:
    void SetUp() override {
        DnsTest::SetUp();
        zone()
            .mx("example.test", 10, "mx1.example.test", 60)
            .a("mx1.example.test", "127.0.0.10", 120)
            .a("plain.test", "127.0.0.30", 100)
            .nxdomain("gone.test")
            .exists("empty.test")
            .servfail("broken.test")
            .negativeTtl(1000);
    }
};

TEST_F(DnsStageCacheTest, SecondBatchIssuesNoQueries) {
    auto dns = stage();
    Batch first = batchOf({"a@example.test", "b@plain.test", "c@gone.test", "d@empty.test"});
    run(*dns, first);
    const std::uint64_t asked = fake_.totalQueries();
    EXPECT_GT(asked, 0U);
    Batch second = batchOf({"x@example.test", "y@plain.test", "z@gone.test", "w@empty.test"});
    run(*dns, second);
    EXPECT_EQ(fake_.totalQueries(), asked);
    ASSERT_EQ(second.items[0].evidence.mailServers.size(), 1U);
    EXPECT_EQ(second.items[0].evidence.mailServers[0].addresses,
              first.items[0].evidence.mailServers[0].addresses);
    EXPECT_EQ(second.items[0].evidence.mxHost, "mx1.example.test");
    EXPECT_TRUE(second.items[1].evidence.has(Fact::mxFound));
    EXPECT_TRUE(second.items[2].evidence.has(Fact::domainNotFound));
    EXPECT_TRUE(second.items[3].evidence.has(Fact::noUsableMx));
    EXPECT_EQ(dns->cache().size(), 4U);
}

TEST_F(DnsStageCacheTest, ExpiresWithTheSmallestTtl) {
    auto dns = stage();
    Batch first = batchOf({"a@example.test"});
    run(*dns, first);
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 1U);

    host_.advance(seconds(59));  // MX TTL 60 < A TTL 120
    Batch second = batchOf({"a@example.test"});
    run(*dns, second);
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 1U);

    host_.advance(seconds(2));
    Batch third = batchOf({"a@example.test"});
    run(*dns, third);
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 2U);
    EXPECT_TRUE(third.items[0].evidence.has(Fact::mxFound));
}

TEST_F(DnsStageCacheTest, TtlsAreClampedByMinAndMax) {
    auto dns = stage("\"min_ttl\":10,\"max_ttl\":20");
    zone().mx("short.test", 10, "mx1.example.test", 1);
    Batch batch = batchOf({"a@short.test", "b@example.test"});
    run(*dns, batch);
    host_.advance(seconds(9));
    Batch again = batchOf({"a@short.test", "b@example.test"});
    run(*dns, again);
    EXPECT_EQ(fake_.queries("short.test", RecordType::mx), 1U);  // 1 s raised to 10 s
    host_.advance(seconds(12));                                  // 21 s: 60 s cut to 20 s
    Batch late = batchOf({"a@short.test", "b@example.test"});
    run(*dns, late);
    EXPECT_EQ(fake_.queries("short.test", RecordType::mx), 2U);
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 2U);
}

TEST_F(DnsStageCacheTest, NegativeAnswersUseNegativeTtlCappedBySoa) {
    auto dns = stage("\"negative_ttl\":30");  // SOA says 1000: the config's 30 s win
    Batch batch = batchOf({"a@gone.test", "b@empty.test"});
    run(*dns, batch);
    host_.advance(seconds(29));
    Batch again = batchOf({"a@gone.test", "b@empty.test"});
    run(*dns, again);
    EXPECT_EQ(fake_.queries("gone.test", RecordType::mx), 1U);
    EXPECT_EQ(fake_.queries("empty.test", RecordType::mx), 1U);
    EXPECT_TRUE(again.items[0].evidence.has(Fact::domainNotFound));

    zone().negativeTtl(5);  // now the SOA is shorter than negative_ttl
    host_.advance(seconds(2));
    Batch third = batchOf({"a@gone.test"});
    run(*dns, third);
    EXPECT_EQ(fake_.queries("gone.test", RecordType::mx), 2U);
    host_.advance(seconds(6));
    Batch fourth = batchOf({"a@gone.test"});
    run(*dns, fourth);
    EXPECT_EQ(fake_.queries("gone.test", RecordType::mx), 3U);
}

TEST_F(DnsStageCacheTest, FailuresAreCachedOnlyForFailureTtl) {
    auto dns = stage("\"failure_ttl\":10");
    Batch batch = batchOf({"a@broken.test"});
    run(*dns, batch);
    const std::uint64_t asked = fake_.queries("broken.test", RecordType::mx);
    Batch again = batchOf({"a@broken.test"});
    run(*dns, again);
    EXPECT_EQ(fake_.queries("broken.test", RecordType::mx), asked);
    EXPECT_TRUE(again.items[0].evidence.has(Fact::dnsUnresolved));
    host_.advance(seconds(11));
    Batch later = batchOf({"a@broken.test"});
    run(*dns, later);
    EXPECT_GT(fake_.queries("broken.test", RecordType::mx), asked);
}

TEST_F(DnsStageCacheTest, FailureTtlZeroNeverCachesFailures) {
    auto dns = stage("\"failure_ttl\":0");
    Batch batch = batchOf({"a@broken.test"});
    run(*dns, batch);
    const std::uint64_t asked = fake_.queries("broken.test", RecordType::mx);
    Batch again = batchOf({"a@broken.test"});
    run(*dns, again);
    EXPECT_GT(fake_.queries("broken.test", RecordType::mx), asked);
    EXPECT_EQ(dns->cache().size(), 0U);
}

TEST_F(DnsStageCacheTest, SizeBoundEvictsLeastRecentlyUsed) {
    auto dns = stage("\"cache_entries\":2");
    Batch first = batchOf({"a@example.test", "b@plain.test"});
    run(*dns, first);
    Batch touch = batchOf({"a@example.test"});  // example.test is now the most recent
    run(*dns, touch);
    Batch third = batchOf({"c@gone.test"});  // evicts plain.test
    run(*dns, third);
    EXPECT_EQ(dns->cache().size(), 2U);
    Batch check = batchOf({"a@example.test", "b@plain.test"});
    run(*dns, check);
    EXPECT_EQ(fake_.queries("example.test", RecordType::mx), 1U);
    EXPECT_EQ(fake_.queries("plain.test", RecordType::mx), 2U);
}

TEST_F(DnsStageCacheTest, CacheIsSharedByConcurrentRuns) {
    auto dns = stage();
    Batch warm = batchOf({"a@example.test"});
    run(*dns, warm);
    const std::uint64_t asked = fake_.totalQueries();
    std::vector<std::thread> threads;
    std::atomic<int> found{0};
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&] {
            Batch batch = batchOf({"a@example.test"});
            run(*dns, batch);
            if (batch.items[0].evidence.has(Fact::mxFound))
                ++found;
        });
    }
    for (std::thread& thread : threads)
        thread.join();
    EXPECT_EQ(found.load(), 4);
    EXPECT_EQ(fake_.totalQueries(), asked);
}

}  // namespace
}  // namespace mailsift::stages::dns::test
