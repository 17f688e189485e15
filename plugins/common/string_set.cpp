#include "common/string_set.h"

#include <cstring>
#include <limits>
#include <stdexcept>

namespace mailsift::stages {

std::uint32_t StringSet::hashOf(std::string_view key) {
    // Eight bytes per multiply: list entries and looked-up domains are short, and this runs for
    // every address.
    std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ key.size();
    const char* p = key.data();
    std::size_t n = key.size();
    while (n >= 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, p, 8);
        h = (h ^ word) * 0xBF58476D1CE4E5B9ULL;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    std::uint64_t tail = 0;
    for (std::size_t i = 0; i < n; ++i)
        tail |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    h = (h ^ tail) * 0x94D049BB133111EBULL;
    h ^= h >> 29;
    h *= 0xFF51AFD7ED558CCDULL;
    return static_cast<std::uint32_t>(h ^ (h >> 32));
}

void StringSet::grow(std::size_t entries) {
    std::size_t capacity = slots_.empty() ? 16 : slots_.size();
    while (capacity < entries * 2)
        capacity *= 2;
    if (capacity == slots_.size())
        return;
    std::vector<Slot> old(capacity, Slot{});
    old.swap(slots_);
    const std::size_t mask = capacity - 1;
    for (const Slot& slot : old) {
        if (slot.length == 0)
            continue;
        std::size_t index = slot.hash & mask;
        while (slots_[index].length != 0)
            index = (index + 1) & mask;
        slots_[index] = slot;
    }
}

StringSet::Slot* StringSet::findSlot(std::string_view key, std::uint32_t hash) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
        Slot& slot = slots_[index];
        if (slot.length == 0 || (slot.hash == hash && keyAt(slot) == key))
            return &slot;
    }
}

void StringSet::add(const std::vector<std::string>& entries, std::uint8_t flags) {
    if (flags == 0)
        throw std::invalid_argument("StringSet::add needs non-zero flags");
    grow(size_ + entries.size());
    for (const std::string& entry : entries) {
        if (entry.empty() || entry.size() > std::numeric_limits<std::uint16_t>::max())
            continue;
        if (chars_.size() + entry.size() > std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("list too large for a StringSet");
        const std::uint32_t hash = hashOf(entry);
        Slot* slot = findSlot(entry, hash);
        if (slot->length != 0) {
            slot->flags |= flags;
            continue;
        }
        *slot = Slot{hash, static_cast<std::uint32_t>(chars_.size()),
                     static_cast<std::uint16_t>(entry.size()), flags};
        chars_.append(entry);
        ++size_;
    }
    rebuildFilter();
}

void StringSet::rebuildFilter() {
    std::size_t bits = 64;
    while (bits < size_ * 16 && bits < (std::size_t{1} << 25))
        bits *= 2;
    filter_.assign(bits / 64, 0);
    filterMask_ = static_cast<std::uint32_t>(bits - 1);
    for (const Slot& slot : slots_) {
        if (slot.length == 0)
            continue;
        const std::uint32_t bit = (slot.hash >> 7) & filterMask_;
        filter_[bit >> 6] |= std::uint64_t{1} << (bit & 63);
    }
}

std::uint8_t StringSet::flags(std::string_view key) const {
    if (key.empty() || slots_.empty())
        return 0;
    const std::uint32_t hash = hashOf(key);
    if (!mayContain(hash))
        return 0;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t index = hash & mask;; index = (index + 1) & mask) {
        const Slot& slot = slots_[index];
        if (slot.length == 0)
            return 0;
        if (slot.hash == hash && keyAt(slot) == key)
            return slot.flags;
    }
}

}  // namespace mailsift::stages
