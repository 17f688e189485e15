#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace mailsift::http {

namespace {

/// How many calls pass between sweeps of idle buckets.
constexpr std::uint64_t kSweepEvery = 4096;

double secondsBetween(RateLimiter::Clock::time_point from, RateLimiter::Clock::time_point to) {
    return std::max(0.0, std::chrono::duration<double>(to - from).count());
}

}  // namespace

std::optional<std::int64_t> RateLimiter::take(store::Id keyId, Clock::time_point now) {
    if (!config_.enabled())
        return std::nullopt;
    const double rate = config_.requestsPerSecond;
    const double burst = std::max(config_.burst, 1);
    std::lock_guard lock(mutex_);
    if (++calls_ % kSweepEvery == 0)
        dropIdleBuckets(now);
    auto [it, fresh] = buckets_.try_emplace(keyId, Bucket{burst, now});
    Bucket& bucket = it->second;
    if (!fresh) {
        bucket.tokens = std::min(burst, bucket.tokens + secondsBetween(bucket.updated, now) * rate);
        bucket.updated = std::max(bucket.updated, now);
    }
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return std::nullopt;
    }
    const double wait = (1.0 - bucket.tokens) / rate;
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(wait)));
}

void RateLimiter::dropIdleBuckets(Clock::time_point now) {
    const double rate = config_.requestsPerSecond;
    const double burst = std::max(config_.burst, 1);
    std::erase_if(buckets_, [&](const auto& entry) {
        const Bucket& bucket = entry.second;
        return bucket.tokens + secondsBetween(bucket.updated, now) * rate >= burst;
    });
}

}  // namespace mailsift::http
