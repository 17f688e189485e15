#pragma once

#include <chrono>
#include <cstdint>

#include "store/store.h"

namespace mailsift::store {

/// Timestamps are stored as epoch milliseconds in BIGINT columns on every back-end.
inline std::int64_t toEpochMillis(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

inline TimePoint fromEpochMillis(std::int64_t ms) {
    return TimePoint(
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(ms)));
}

}  // namespace mailsift::store
