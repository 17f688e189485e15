// Many domains in flight at once, deadlines, cancellation and concurrent runs.
#include <gtest/gtest.h>

#include <thread>

#include "dns_test_support.h"

namespace mailsift::stages::dns::test {
namespace {

using fakes::RecordType;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class DnsStageConcurrencyTest : public DnsTest {
  protected:
    /// n domains d<i>.bulk.test, each with one MX whose host has one address.
    Batch bulk(int n) {
        Batch batch;
        for (int i = 0; i < n; ++i) {
            const std::string domain = "d" + std::to_string(i) + ".bulk.test";
            zone().mx(domain, 10, "mx." + domain).a("mx." + domain, "127.0.1.1");
            Batch one = batchOf({"user@" + domain});
            batch.items.push_back(std::move(one.items[0]));
        }
        return batch;
    }
};

TEST_F(DnsStageConcurrencyTest, ThousandDomainsResolveConcurrently) {
    Batch batch = bulk(1000);
    zone().delayAll(milliseconds(20));  // one after another would take 2 x 1000 x 20 ms = 40 s
    auto dns = stage("\"timeout_ms\":2000");
    const auto started = Clock::now();
    run(*dns, batch);
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    std::size_t found = 0;
    for (const Item& item : batch.items)
        found += item.evidence.has(Fact::mxFound) ? 1 : 0;
    EXPECT_EQ(found, 1000U);
    EXPECT_LT(took, milliseconds(2000));
    EXPECT_EQ(fake_.totalQueries(), 2000U);
    std::cout << "[ timing ] 1000 domains, 20 ms per answer: " << took.count() << " ms\n";
}

TEST_F(DnsStageConcurrencyTest, MaxInFlightCapsButStillFinishes) {
    Batch batch = bulk(200);
    zone().delayAll(milliseconds(20));
    auto dns = stage("\"max_in_flight\":50,\"timeout_ms\":2000");
    const auto started = Clock::now();
    run(*dns, batch);
    const auto took = Clock::now() - started;
    for (const Item& item : batch.items)
        ASSERT_TRUE(item.evidence.has(Fact::mxFound)) << item.input;
    // 400 queries, 50 at a time, 20 ms each: at least 8 rounds.
    EXPECT_GE(took, milliseconds(150));
}

TEST_F(DnsStageConcurrencyTest, DeadlineReturnsPromptlyWithUnresolved) {
    zone()
        .mx("quick.test", 10, "mx.quick.test")
        .a("mx.quick.test", "127.0.0.70")
        .mx("slow.test", 10, "mx.slow.test")
        .a("mx.slow.test", "127.0.0.71")
        .delay("slow.test", milliseconds(3000));
    auto dns = stage("\"timeout_ms\":5000,\"tries\":1");
    Batch batch = batchOf({"a@quick.test", "b@slow.test"});
    batch.deadline = Clock::now() + milliseconds(300);
    const auto started = Clock::now();
    run(*dns, batch);
    const auto took = Clock::now() - started;
    EXPECT_LT(took, milliseconds(500));
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::mxFound));
    EXPECT_TRUE(batch.items[1].evidence.has(Fact::dnsUnresolved));
    EXPECT_TRUE(batch.items[1].settled);
    // An answer cut short by the deadline is not cached.
    zone().delay("slow.test", milliseconds(0));
    Batch again = batchOf({"b@slow.test"});
    run(*dns, again);
    EXPECT_TRUE(again.items[0].evidence.has(Fact::mxFound));
}

TEST_F(DnsStageConcurrencyTest, ExpiredDeadlineAsksNothing) {
    zone().mx("quick.test", 10, "mx.quick.test").a("mx.quick.test", "127.0.0.70");
    auto dns = stage();
    Batch batch = batchOf({"a@quick.test"});
    batch.deadline = Clock::now() - milliseconds(1);
    run(*dns, batch);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::dnsUnresolved));
    EXPECT_EQ(fake_.totalQueries(), 0U);
}

TEST_F(DnsStageConcurrencyTest, CancellationReturnsPromptly) {
    zone().drop("silent.test");
    auto dns = stage("\"timeout_ms\":5000,\"tries\":2");
    std::atomic<bool> cancel{false};
    Batch batch = batchOf({"a@silent.test"});
    batch.cancelFlag = &cancel;
    std::thread canceller([&] {
        while (fake_.queries("silent.test", RecordType::mx) == 0)
            std::this_thread::sleep_for(milliseconds(1));
        cancel = true;
    });
    const auto started = Clock::now();
    run(*dns, batch);
    const auto took = Clock::now() - started;
    canceller.join();
    EXPECT_LT(took, milliseconds(500));
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::dnsUnresolved));
    EXPECT_EQ(dns->cache().size(), 0U);
}

TEST_F(DnsStageConcurrencyTest, ConcurrentRunsOnOneInstance) {
    Batch all = bulk(40);
    zone().delayAll(milliseconds(10));
    auto dns = stage();
    std::vector<Batch> batches(4);
    for (std::size_t i = 0; i < all.items.size(); ++i)
        batches[i % 4].items.push_back(all.items[i]);
    std::vector<std::thread> threads;
    for (Batch& batch : batches)
        threads.emplace_back([&] { run(*dns, batch); });
    for (std::thread& thread : threads)
        thread.join();
    for (const Batch& batch : batches) {
        for (const Item& item : batch.items)
            EXPECT_TRUE(item.evidence.has(Fact::mxFound)) << item.input;
    }
    EXPECT_EQ(dns->cache().size(), 40U);
}

}  // namespace
}  // namespace mailsift::stages::dns::test
