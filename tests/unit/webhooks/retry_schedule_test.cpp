#include "webhooks/retry_schedule.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "webhooks/dispatcher.h"

namespace mailsift::webhooks {
namespace {

using std::chrono::milliseconds;

TEST(RetryScheduleTest, DefaultsSpanAboutADayOverEightAttempts) {
    const RetrySchedule s = Dispatcher::scheduleFrom(config::WebhooksConfig{});
    EXPECT_EQ(s.maxAttempts, 8);
    EXPECT_EQ(s.baseDelay(1), milliseconds(60'000));
    EXPECT_EQ(s.baseDelay(2), milliseconds(180'000));
    EXPECT_EQ(s.baseDelay(7), milliseconds(43'200'000)) << "capped at 12 h";
    milliseconds total{0};
    for (int attempt = 1; attempt < s.maxAttempts; ++attempt) {
        total += s.baseDelay(attempt);
    }
    EXPECT_GT(total, std::chrono::hours(12));
    EXPECT_LT(total, std::chrono::hours(30));
    EXPECT_FALSE(s.exhausted(7));
    EXPECT_TRUE(s.exhausted(8));
}

TEST(RetryScheduleTest, JitterStaysWithinItsPercentAndVaries) {
    RetrySchedule s;
    s.initial = milliseconds(1000);
    s.multiplier = 2;
    s.max = milliseconds(1'000'000);
    s.jitterPercent = 20;
    std::set<std::int64_t> seen;
    for (int i = 0; i < 200; ++i) {
        const auto d = s.delayAfter(3);  // base 4000 ms
        EXPECT_GE(d, milliseconds(3200));
        EXPECT_LE(d, milliseconds(4800));
        seen.insert(d.count());
    }
    EXPECT_GT(seen.size(), 20u);
    s.jitterPercent = 0;
    EXPECT_EQ(s.delayAfter(3), milliseconds(4000));
}

}  // namespace
}  // namespace mailsift::webhooks
