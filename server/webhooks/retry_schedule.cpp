#include "webhooks/retry_schedule.h"

#include <algorithm>

namespace mailsift::webhooks {

std::chrono::milliseconds RetrySchedule::baseDelay(int attempts) const {
    double delay = static_cast<double>(initial.count());
    const auto cap = static_cast<double>(max.count());
    for (int i = 1; i < attempts && delay < cap; ++i) {
        delay *= multiplier;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(delay, cap)));
}

std::chrono::milliseconds RetrySchedule::delayAfter(int attempts) const {
    const auto base = static_cast<double>(baseDelay(attempts).count());
    if (jitterPercent <= 0) {
        return std::chrono::milliseconds(static_cast<std::int64_t>(base));
    }
    thread_local std::mt19937_64 generator{std::random_device{}()};
    const double spread = base * jitterPercent / 100.0;
    std::uniform_real_distribution<double> jitter(-spread, spread);
    return std::chrono::milliseconds(
        static_cast<std::int64_t>(std::max(1.0, base + jitter(generator))));
}

}  // namespace mailsift::webhooks
