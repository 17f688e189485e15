#pragma once

#include <atomic>

namespace mailsift::metrics {

/// A monotonically increasing value of one series. Owned by the Registry, which hands out
/// references that stay valid as long as it lives. Any thread may call any member; increments
/// are a single atomic add, with no lock.
class Counter {
  public:
    /// Adds `amount` (default 1). Negative amounts are ignored: a counter never goes down.
    void inc(double amount = 1.0);
    /// The current total.
    double value() const;

  private:
    std::atomic<double> value_{0.0};
};

}  // namespace mailsift::metrics
