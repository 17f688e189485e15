// DnsCache on its own: expiry, LRU eviction, zero ttl and capacity 0.
#include "dns/dns_cache.h"

#include <gtest/gtest.h>

namespace mailsift::stages::dns {
namespace {

using std::chrono::seconds;

DomainAnswer found(std::string host, int ttl) {
    return DomainAnswer{
        DnsOutcome::mxFound, {MailServer{std::move(host), 10, {"127.0.0.1"}}}, seconds(ttl)};
}

const DnsCache::TimePoint kStart{seconds(1000)};

TEST(DnsCacheTest, HitUntilExpiry) {
    DnsCache cache(10);
    cache.put("example.test", found("mx.example.test", 60), kStart);
    const auto hit = cache.get("example.test", kStart + seconds(59));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->servers[0].host, "mx.example.test");
    EXPECT_EQ(hit->ttl, seconds(1));
    EXPECT_FALSE(cache.get("example.test", kStart + seconds(60)));
    EXPECT_EQ(cache.size(), 0U);  // the expired entry was dropped
}

TEST(DnsCacheTest, ZeroTtlAndZeroCapacityStoreNothing) {
    DnsCache cache(10);
    cache.put("a.test", found("mx.a.test", 0), kStart);
    EXPECT_EQ(cache.size(), 0U);
    DnsCache off(0);
    off.put("a.test", found("mx.a.test", 60), kStart);
    EXPECT_FALSE(off.get("a.test", kStart));
}

TEST(DnsCacheTest, EvictsLeastRecentlyUsed) {
    DnsCache cache(3);
    cache.put("a.test", found("a", 60), kStart);
    cache.put("b.test", found("b", 60), kStart);
    cache.put("c.test", found("c", 60), kStart);
    ASSERT_TRUE(cache.get("a.test", kStart));  // b is now the oldest
    cache.put("d.test", found("d", 60), kStart);
    EXPECT_EQ(cache.size(), 3U);
    EXPECT_FALSE(cache.get("b.test", kStart));
    EXPECT_TRUE(cache.get("a.test", kStart));
    EXPECT_TRUE(cache.get("c.test", kStart));
    EXPECT_TRUE(cache.get("d.test", kStart));
}

TEST(DnsCacheTest, PutReplacesAndRefreshes) {
    DnsCache cache(2);
    cache.put("a.test", found("old", 10), kStart);
    cache.put("a.test", found("new", 100), kStart + seconds(5));
    EXPECT_EQ(cache.size(), 1U);
    const auto hit = cache.get("a.test", kStart + seconds(50));
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->servers[0].host, "new");
}

TEST(DnsCacheTest, ManyEntriesStayBounded) {
    DnsCache cache(100);
    for (int i = 0; i < 10000; ++i)
        cache.put("d" + std::to_string(i) + ".test", found("mx", 60), kStart);
    EXPECT_EQ(cache.size(), 100U);
    EXPECT_TRUE(cache.get("d9999.test", kStart));
    EXPECT_FALSE(cache.get("d0.test", kStart));
}

}  // namespace
}  // namespace mailsift::stages::dns
