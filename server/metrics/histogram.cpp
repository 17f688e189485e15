#include "metrics/histogram.h"

#include <algorithm>
#include <cmath>

namespace mailsift::metrics {

Histogram::Histogram(std::vector<double> upperBounds)
    : upperBounds_(std::move(upperBounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(upperBounds_.size() + 1)) {}

void Histogram::observe(double value) {
    if (std::isnan(value)) {
        return;
    }
    // First bucket whose upper bound is >= value ("le" is inclusive); past the end is +Inf.
    const auto it = std::lower_bound(upperBounds_.begin(), upperBounds_.end(), value);
    const auto index = static_cast<std::size_t>(it - upperBounds_.begin());
    counts_[index].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulativeCounts() const {
    std::vector<std::uint64_t> result(upperBounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < result.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        result[i] = running;
    }
    return result;
}

double Histogram::sum() const {
    return sum_.load(std::memory_order_relaxed);
}

}  // namespace mailsift::metrics
