#include "jobs/dedupe_index.h"

#include <cstring>
#include <stdexcept>

namespace mailsift::jobs {
namespace {

constexpr std::size_t kInitialSlots = 1024;
constexpr std::uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr std::uint64_t kC2 = 0x4cf5ad432745937fULL;

std::uint64_t rotl(std::uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

std::uint64_t finalMix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

std::uint64_t mixWord(std::uint64_t h, std::uint64_t word) {
    word *= kC1;
    word = rotl(word, 31);
    word *= kC2;
    h ^= word;
    h = rotl(h, 27);
    return h * 5 + 0x52dce729;
}

}  // namespace

DedupeIndex::DedupeIndex()
    : hashes_(kInitialSlots, 0), offsets_(kInitialSlots, 0), mask_(kInitialSlots - 1) {}

std::uint64_t DedupeIndex::hash(std::string_view key) {
    std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ key.size();
    std::size_t i = 0;
    for (; i + 8 <= key.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, key.data() + i, 8);
        h = mixWord(h, word);
    }
    if (i < key.size()) {
        std::uint64_t word = 0;
        std::memcpy(&word, key.data() + i, key.size() - i);
        h = mixWord(h, word);
    }
    return finalMix(h ^ key.size());
}

std::uint64_t DedupeIndex::keyHash(std::string_view cell) {
    // The same key as engine::Validator::dedupeKey(), built in a reused buffer.
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = cell.find_first_not_of(kSpace);
    if (first == std::string_view::npos) {
        cell = {};
    } else {
        cell = cell.substr(first, cell.find_last_not_of(kSpace) - first + 1);
    }
    key_.assign(cell);
    if (const auto at = key_.rfind('@'); at != std::string::npos) {
        for (std::size_t i = at + 1; i < key_.size(); ++i) {
            const char c = key_[i];
            if (c >= 'A' && c <= 'Z')
                key_[i] = static_cast<char>(c - 'A' + 'a');
        }
    }
    const std::uint64_t h = hash(key_);
    return h == 0 ? 1 : h;
}

std::int64_t DedupeIndex::firstOf(std::string_view cell, std::int64_t pos) {
    if (pos < 0 || pos > static_cast<std::int64_t>(UINT32_MAX))
        throw std::out_of_range("DedupeIndex holds positions up to 2^32-1.");
    const std::uint64_t h = keyHash(cell);
    std::size_t slot = static_cast<std::size_t>(h) & mask_;
    while (hashes_[slot] != 0) {
        if (hashes_[slot] == h)
            return offsets_[slot];
        slot = (slot + 1) & mask_;
    }
    hashes_[slot] = h;
    offsets_[slot] = static_cast<std::uint32_t>(pos);
    ++size_;
    if (size_ * 10 > hashes_.size() * 7)
        grow();
    return -1;
}

void DedupeIndex::grow() {
    std::vector<std::uint64_t> oldHashes(hashes_.size() * 2, 0);
    std::vector<std::uint32_t> oldOffsets(offsets_.size() * 2, 0);
    oldHashes.swap(hashes_);
    oldOffsets.swap(offsets_);
    mask_ = hashes_.size() - 1;
    for (std::size_t i = 0; i < oldHashes.size(); ++i) {
        if (oldHashes[i] == 0)
            continue;
        std::size_t slot = static_cast<std::size_t>(oldHashes[i]) & mask_;
        while (hashes_[slot] != 0)
            slot = (slot + 1) & mask_;
        hashes_[slot] = oldHashes[i];
        offsets_[slot] = oldOffsets[i];
    }
}

}  // namespace mailsift::jobs
