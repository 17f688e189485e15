#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace mailsift::metrics {

/// Observations of one series sorted into buckets by upper bound (the +Inf bucket is implicit).
/// Owned by the Registry; references stay valid as long as it lives. Any thread may call any
/// member; observe() is lock-free (two atomic adds).
class Histogram {
  public:
    /// `upperBounds` must be strictly increasing and finite (the Registry checks this).
    explicit Histogram(std::vector<double> upperBounds);

    /// Records one observation (e.g. a duration in seconds). NaN is ignored.
    void observe(double value);

    /// The finite upper bounds, as given.
    const std::vector<double>& upperBounds() const { return upperBounds_; }
    /// Cumulative counts, one per upper bound plus a last one for +Inf (= the total count).
    std::vector<std::uint64_t> cumulativeCounts() const;
    /// Sum of all observations.
    double sum() const;

  private:
    std::vector<double> upperBounds_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  ///< per bucket, not cumulative
    std::atomic<double> sum_{0.0};
};

}  // namespace mailsift::metrics
