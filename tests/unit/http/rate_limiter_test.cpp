// The per-key token bucket, on an injected clock.
#include "http/rate_limiter.h"

#include <gtest/gtest.h>

namespace mailsift::http {
namespace {

using Clock = RateLimiter::Clock;
using std::chrono::milliseconds;

config::RateLimitConfig limit(int perSecond, int burst) {
    config::RateLimitConfig config;
    config.requestsPerSecond = perSecond;
    config.burst = burst;
    return config;
}

TEST(RateLimiter, BurstThenRetryAfterThenRefill) {
    RateLimiter limiter(limit(2, 3));
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 3; ++i)
        EXPECT_FALSE(limiter.take(7, t0)) << i;
    const auto wait = limiter.take(7, t0);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 1);  // half a second to the next token, rounded up to whole seconds
    EXPECT_TRUE(limiter.take(7, t0 + milliseconds(400)));
    EXPECT_FALSE(limiter.take(7, t0 + milliseconds(500)));
    EXPECT_TRUE(limiter.take(7, t0 + milliseconds(500)));
    // A long pause refills up to the burst, not beyond.
    const Clock::time_point later = t0 + std::chrono::seconds(60);
    for (int i = 0; i < 3; ++i)
        EXPECT_FALSE(limiter.take(7, later)) << i;
    EXPECT_TRUE(limiter.take(7, later));
}

TEST(RateLimiter, KeysHaveTheirOwnBuckets) {
    RateLimiter limiter(limit(1, 1));
    const Clock::time_point t0 = Clock::now();
    EXPECT_FALSE(limiter.take(1, t0));
    EXPECT_TRUE(limiter.take(1, t0));
    EXPECT_FALSE(limiter.take(2, t0));
}

TEST(RateLimiter, SlowRatesAskForLongerWaits) {
    RateLimiter limiter(limit(1, 1));
    const Clock::time_point t0 = Clock::now();
    EXPECT_FALSE(limiter.take(1, t0));
    EXPECT_EQ(limiter.take(1, t0), 1);
    EXPECT_EQ(limiter.take(1, t0 + milliseconds(100)), 1);  // 0.9 s left: still 1 whole second
}

TEST(RateLimiter, ZeroRateIsNoLimit) {
    RateLimiter limiter(limit(0, 1));
    const Clock::time_point t0 = Clock::now();
    for (int i = 0; i < 1000; ++i)
        ASSERT_FALSE(limiter.take(1, t0));
}

TEST(RateLimiter, ManyIdleKeysDoNotPileUp) {
    RateLimiter limiter(limit(1000, 1));
    const Clock::time_point t0 = Clock::now();
    for (store::Id key = 1; key <= 20000; ++key)
        EXPECT_FALSE(limiter.take(key, t0 + milliseconds(key)));
    // Every key was idle long enough to be full again, so sweeps dropped them; a dropped key
    // starts over with a full bucket, exactly as if it had been kept.
    EXPECT_LT(limiter.trackedKeys(), 4200U);
    EXPECT_FALSE(limiter.take(1, t0 + milliseconds(20001)));
}

}  // namespace
}  // namespace mailsift::http
