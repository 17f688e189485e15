#pragma once

#include <chrono>
#include <random>

namespace mailsift::webhooks {

/// When a failed delivery is tried again: exponential back-off with jitter, up to an attempt
/// limit. Delay after attempt n (n >= 1) = min(max, initial * multiplier^(n-1)), then moved by a
/// random amount within +-jitterPercent. Thread-safe (one generator per thread).
struct RetrySchedule {
    std::chrono::milliseconds initial{60'000};
    int multiplier = 3;
    std::chrono::milliseconds max{43'200'000};
    int jitterPercent = 20;
    int maxAttempts = 8;

    /// True when attempt number `attempts` (1 = the first) was the last one allowed.
    bool exhausted(int attempts) const { return attempts >= maxAttempts; }
    /// The delay before the next attempt after `attempts` failed ones, without jitter.
    std::chrono::milliseconds baseDelay(int attempts) const;
    /// The same, with jitter.
    std::chrono::milliseconds delayAfter(int attempts) const;
};

}  // namespace mailsift::webhooks
