#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::jobs {

/// Finds the first position of each address of one job while its rows stream in, so that repeated
/// addresses are verified once.
///
/// Two cells are the same address when engine::Validator::dedupeKey() says so (trimmed, domain
/// lower-cased). The index keeps only a 64-bit hash of that key and the first position (12 bytes a
/// slot in an open-addressing table), not the addresses themselves: 1,000,000 unique addresses
/// cost about 24 MB instead of the ~80 MB that a map of strings would. The trade-off is that two
/// different addresses with the same hash are taken as one; for n unique addresses that happens
/// with probability about n^2 / 2^65 (below 1 in a million for 5,000,000 rows), and it can only
/// give one row of the uploader's own job its twin's verdict. No allocation per lookup once warm.
/// Not thread-safe: one ingestion owns one index.
class DedupeIndex {
  public:
    DedupeIndex();

    /// The position of the first cell with the same address, or -1 when `cell` is the first
    /// (then `pos` is remembered as its first position).
    std::int64_t firstOf(std::string_view cell, std::int64_t pos);

    std::size_t size() const { return size_; }

    /// The 64-bit hash of a dedupe key (exposed for tests).
    static std::uint64_t hash(std::string_view key);

  private:
    void grow();
    std::uint64_t keyHash(std::string_view cell);

    std::vector<std::uint64_t> hashes_;   ///< 0 = empty slot (a real 0 hash is stored as 1)
    std::vector<std::uint32_t> offsets_;  ///< first position of the address in each used slot
    std::size_t size_ = 0;
    std::size_t mask_ = 0;
    std::string key_;  ///< reused buffer for the normalised key
};

}  // namespace mailsift::jobs
