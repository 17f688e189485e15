#pragma once

#include <cstdint>
#include <random>

namespace mailsift::store {

/// A fresh lease token: a random positive 63-bit number. Random rather than counted, so that a
/// token stays unguessable by an old owner even if a chunk row were ever recreated with the same
/// key (a job id reused after a restore); two leases of one chunk share a token with
/// probability 2^-63. Thread-safe (one generator per thread).
inline std::int64_t newLeaseToken() {
    thread_local std::mt19937_64 generator{[] {
        std::random_device device;
        return (static_cast<std::uint64_t>(device()) << 32) ^ device();
    }()};
    std::int64_t token = 0;
    while (token == 0) {
        token = static_cast<std::int64_t>(generator() >> 1);
    }
    return token;
}

}  // namespace mailsift::store
