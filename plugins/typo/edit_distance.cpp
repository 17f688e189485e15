#include "typo/edit_distance.h"

#include <algorithm>
#include <array>

namespace mailsift::stages::typo {
namespace {

constexpr std::size_t kMaxLength = 64;

}  // namespace

int boundedEditDistance(std::string_view a, std::string_view b, int limit) {
    const int tooFar = limit + 1;
    if (a.size() > kMaxLength || b.size() > kMaxLength)
        return tooFar;
    const int lengthGap =
        static_cast<int>(a.size() > b.size() ? a.size() - b.size() : b.size() - a.size());
    if (lengthGap > limit)
        return tooFar;

    // Three rows of the dynamic-programming matrix: two back (for transpositions), one back, now.
    std::array<int, kMaxLength + 1> beforePrevious{};
    std::array<int, kMaxLength + 1> previous{};
    std::array<int, kMaxLength + 1> current{};
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = static_cast<int>(j);

    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = static_cast<int>(i);
        int rowMinimum = current[0];
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            int best = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                best = std::min(best, beforePrevious[j - 2] + 1);
            current[j] = best;
            rowMinimum = std::min(rowMinimum, best);
        }
        if (rowMinimum > limit)
            return tooFar;
        beforePrevious = previous;
        previous = current;
    }
    return std::min(previous[b.size()], tooFar);
}

std::uint64_t characterMask(std::string_view text) {
    std::uint64_t mask = 0;
    for (char c : text) {
        int bit = 38;
        if (c >= 'a' && c <= 'z')
            bit = c - 'a';
        else if (c >= '0' && c <= '9')
            bit = 26 + (c - '0');
        else if (c == '-')
            bit = 36;
        else if (c == '.')
            bit = 37;
        mask |= std::uint64_t{1} << bit;
    }
    return mask;
}

namespace {

/// Bit count without a libgcc call when the target lacks POPCNT.
int countBits(std::uint64_t x) {
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

}  // namespace

int maskLowerBound(std::uint64_t a, std::uint64_t b) {
    return std::max(countBits(a & ~b), countBits(b & ~a));
}

}  // namespace mailsift::stages::typo
