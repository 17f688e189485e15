#include "metrics/counter.h"

namespace mailsift::metrics {

void Counter::inc(double amount) {
    if (!(amount > 0.0)) {
        return;  // also drops NaN
    }
    value_.fetch_add(amount, std::memory_order_relaxed);
}

double Counter::value() const {
    return value_.load(std::memory_order_relaxed);
}

}  // namespace mailsift::metrics
