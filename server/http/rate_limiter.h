#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "config/config.h"
#include "store/store.h"

namespace mailsift::http {

/// Per API key token buckets (DESIGN section 10): each key may make `burst` requests at once and
/// `requestsPerSecond` on average. Buckets live in memory, per process; idle ones (full again) are
/// dropped now and then, so memory follows the keys active in the last `burst / rate` seconds.
///
/// take() is called concurrently from the server's threads.
class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit RateLimiter(const config::RateLimitConfig& config) : config_(config) {}

    /// Takes one token from the key's bucket. nullopt when the request may go ahead; otherwise
    /// the whole seconds (at least 1) until a token is there again, for Retry-After.
    std::optional<std::int64_t> take(store::Id keyId, Clock::time_point now = Clock::now());

    const config::RateLimitConfig& config() const { return config_; }
    /// How many keys have a bucket in memory now.
    std::size_t trackedKeys() {
        std::lock_guard lock(mutex_);
        return buckets_.size();
    }

  private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
    };

    void dropIdleBuckets(Clock::time_point now);

    config::RateLimitConfig config_;
    std::mutex mutex_;
    std::unordered_map<store::Id, Bucket> buckets_;
    std::uint64_t calls_ = 0;
};

}  // namespace mailsift::http
