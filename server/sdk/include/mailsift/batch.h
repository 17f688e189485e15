#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "mailsift/address.h"
#include "mailsift/evidence.h"

namespace mailsift {

/// One unique address in a batch.
struct Item {
    std::string input;  ///< as submitted
    Address address;    ///< filled by the syntax stage
    Evidence evidence;
    /// Set by a stage once the verdict cannot change (bad syntax, dead domain); later stages skip
    /// it.
    bool settled = false;
};

/// Addresses that stages process together, so one DNS query serves a domain and one SMTP session
/// serves many recipients of one mail server. Owned by the caller of the pipeline; stages may work
/// on distinct items from several threads but must not add or remove items.
struct Batch {
    using Clock = std::chrono::steady_clock;

    std::vector<Item> items;
    std::int64_t accountId = 0;
    Clock::time_point deadline = Clock::time_point::max();
    /// Set by whoever owns the batch (a deleted job, a closed request, shutdown). May be null.
    const std::atomic<bool>* cancelFlag = nullptr;

    bool cancelled() const { return cancelFlag && cancelFlag->load(std::memory_order_relaxed); }
    bool expired() const { return Clock::now() >= deadline; }
    /// Stages stop starting new work once this is true.
    bool shouldStop() const { return cancelled() || expired(); }
};

}  // namespace mailsift
