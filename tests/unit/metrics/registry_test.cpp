#include "metrics/registry.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mailsift::metrics {
namespace {

TEST(RegistryTest, EmptyRegistryRendersNothing) {
    Registry registry;
    EXPECT_EQ(registry.render(), "");
}

TEST(RegistryTest, CounterRendersHelpTypeAndValue) {
    Registry registry;
    registry.counter("jobs_total", "Jobs created.").inc();
    registry.counter("jobs_total", "Jobs created.").inc(2);
    EXPECT_EQ(registry.render(),
              "# HELP jobs_total Jobs created.\n"
              "# TYPE jobs_total counter\n"
              "jobs_total 3\n");
}

TEST(RegistryTest, SameSeriesIsSameObjectWhateverTheLabelOrder) {
    Registry registry;
    Counter& a = registry.counter("c_total", "h", {{"x", "1"}, {"y", "2"}});
    Counter& b = registry.counter("c_total", "h", {{"y", "2"}, {"x", "1"}});
    EXPECT_EQ(&a, &b);
    Counter& other = registry.counter("c_total", "h", {{"x", "1"}, {"y", "3"}});
    EXPECT_NE(&a, &other);
}

TEST(RegistryTest, CounterIgnoresNegativeAmounts) {
    Registry registry;
    Counter& counter = registry.counter("c_total", "h");
    counter.inc(5);
    counter.inc(-3);
    EXPECT_EQ(counter.value(), 5);
}

TEST(RegistryTest, LabelsAreSortedAndEscaped) {
    Registry registry;
    registry.counter("req_total", "Requests.", {{"status", "200"}, {"route", "/a\"b\\c\nd"}}).inc();
    EXPECT_EQ(registry.render(),
              "# HELP req_total Requests.\n"
              "# TYPE req_total counter\n"
              "req_total{route=\"/a\\\"b\\\\c\\nd\",status=\"200\"} 1\n");
}

TEST(RegistryTest, HistogramRendersCumulativeBucketsSumAndCount) {
    Registry registry;
    Histogram& h = registry.histogram("lat_seconds", "Latency.", {0.1, 1}, {{"route", "/x"}});
    h.observe(0.05);
    h.observe(0.1);  // le is inclusive
    h.observe(0.5);
    h.observe(7);
    EXPECT_EQ(registry.render(),
              "# HELP lat_seconds Latency.\n"
              "# TYPE lat_seconds histogram\n"
              "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
              "lat_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
              "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n"
              "lat_seconds_sum{route=\"/x\"} 7.65\n"
              "lat_seconds_count{route=\"/x\"} 4\n");
}

TEST(RegistryTest, HistogramWithoutLabels) {
    Registry registry;
    registry.histogram("d", "D.", {1}).observe(2);
    EXPECT_EQ(registry.render(),
              "# HELP d D.\n# TYPE d histogram\n"
              "d_bucket{le=\"1\"} 0\nd_bucket{le=\"+Inf\"} 1\nd_sum 2\nd_count 1\n");
}

TEST(RegistryTest, GaugeReadsItsCallbackAtRenderAndCanBeRemoved) {
    Registry registry;
    double depth = 4;
    registry.gauge("queue_depth", "Queued chunks.", {{"queue", "main"}}, [&] { return depth; });
    EXPECT_EQ(registry.render(),
              "# HELP queue_depth Queued chunks.\n# TYPE queue_depth gauge\n"
              "queue_depth{queue=\"main\"} 4\n");
    depth = 2.5;
    EXPECT_NE(registry.render().find("queue_depth{queue=\"main\"} 2.5\n"), std::string::npos);
    EXPECT_TRUE(registry.removeGauge("queue_depth", {{"queue", "main"}}));
    EXPECT_FALSE(registry.removeGauge("queue_depth", {{"queue", "main"}}));
    EXPECT_EQ(registry.render(), "");
}

TEST(RegistryTest, GaugeCallbackThatThrowsRendersNaN) {
    Registry registry;
    registry.gauge("broken", "B.", {}, []() -> double { throw std::runtime_error("x"); });
    EXPECT_NE(registry.render().find("broken NaN\n"), std::string::npos);
}

TEST(RegistryTest, FamiliesAreSortedByName) {
    Registry registry;
    registry.counter("b_total", "B.").inc();
    registry.counter("a_total", "A.").inc();
    const std::string text = registry.render();
    EXPECT_LT(text.find("a_total"), text.find("b_total"));
}

TEST(RegistryTest, HelpIsEscaped) {
    Registry registry;
    registry.counter("c", "two\nlines \\ here").inc();
    EXPECT_NE(registry.render().find("# HELP c two\\nlines \\\\ here\n"), std::string::npos);
}

TEST(RegistryTest, RejectsMisuse) {
    Registry registry;
    registry.counter("m", "h");
    EXPECT_THROW(registry.histogram("m", "h", {1}), std::invalid_argument);
    EXPECT_THROW(registry.counter("bad-name", "h"), std::invalid_argument);
    EXPECT_THROW(registry.counter("c", "h", {{"bad-label", "x"}}), std::invalid_argument);
    EXPECT_THROW(registry.counter("c", "h", {{"a", "1"}, {"a", "2"}}), std::invalid_argument);
    EXPECT_THROW(registry.histogram("h", "h", {2, 1}), std::invalid_argument);
    EXPECT_THROW(registry.histogram("h", "h", {1}, {{"le", "x"}}), std::invalid_argument);
    registry.histogram("h2", "h", {1, 2});
    EXPECT_THROW(registry.histogram("h2", "h", {1, 3}, {{"a", "b"}}), std::invalid_argument);
    EXPECT_THROW(registry.gauge("g", "h", {}, nullptr), std::invalid_argument);
}

TEST(RegistryTest, ConcurrentUpdatesAreAllCounted) {
    Registry registry;
    constexpr int kThreads = 8;
    constexpr int kPerThread = 5000;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&registry, t] {
            for (int i = 0; i < kPerThread; ++i) {
                registry.counter("hits_total", "Hits.", {{"parity", std::to_string(t % 2)}}).inc();
                registry.histogram("obs", "Obs.", defaultLatencyBuckets()).observe(0.01);
                if (i % 1000 == 0) {
                    (void)registry.render();
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(registry.counter("hits_total", "Hits.", {{"parity", "0"}}).value(),
              kThreads / 2 * kPerThread);
    EXPECT_EQ(registry.counter("hits_total", "Hits.", {{"parity", "1"}}).value(),
              kThreads / 2 * kPerThread);
    EXPECT_NE(registry.render().find("obs_count " + std::to_string(kThreads * kPerThread)),
              std::string::npos);
}

}  // namespace
}  // namespace mailsift::metrics
