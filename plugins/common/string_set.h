#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::stages {

/// An immutable set of short strings (list entries), each with a small set of flag bits, built
/// once and then only queried. All entries live in one buffer and an open-addressing table
/// indexes them, so a lookup by string_view allocates nothing. A bit filter sixteen times the
/// entry count (256 KiB for 135,000 domains, so it stays in L2) answers most misses without
/// touching the table, whose random accesses would otherwise go to L3 or memory. One table with
/// flags (e.g. free | disposable) answers several lists in one lookup.
/// Built by one thread (add); after that, lookups may run on any number of threads.
class StringSet {
  public:
    StringSet() = default;
    /// A set of `entries`, each with flag 1.
    explicit StringSet(const std::vector<std::string>& entries) { add(entries, 1); }

    /// Adds `entries` with `flags` (non-zero), or-ing them into entries already present.
    /// Empty entries and entries over 65535 bytes are ignored. Not thread-safe.
    void add(const std::vector<std::string>& entries, std::uint8_t flags);

    /// The flags of `key`, 0 when absent.
    std::uint8_t flags(std::string_view key) const;
    bool contains(std::string_view key) const { return flags(key) != 0; }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

  private:
    struct Slot {
        std::uint32_t hash = 0;
        std::uint32_t offset = 0;
        std::uint16_t length = 0;  ///< 0 marks an empty slot (empty strings are never stored)
        std::uint8_t flags = 0;
    };

    static std::uint32_t hashOf(std::string_view key);
    std::string_view keyAt(const Slot& slot) const {
        return {chars_.data() + slot.offset, slot.length};
    }
    void grow(std::size_t entries);
    void rebuildFilter();
    bool mayContain(std::uint32_t hash) const {
        const std::uint32_t bit = (hash >> 7) & filterMask_;
        return (filter_[bit >> 6] >> (bit & 63)) & 1U;
    }
    Slot* findSlot(std::string_view key, std::uint32_t hash);

    std::string chars_;
    std::vector<Slot> slots_;            ///< power-of-two size, at most half full
    std::vector<std::uint64_t> filter_;  ///< one bit per (hash >> 7) & filterMask_
    std::uint32_t filterMask_ = 0;
    std::size_t size_ = 0;
};

}  // namespace mailsift::stages
