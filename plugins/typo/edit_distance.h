#pragma once

#include <cstdint>
#include <string_view>

namespace mailsift::stages::typo {

/// Optimal-string-alignment distance (Levenshtein plus transposition of two adjacent characters,
/// so "gmial" is one edit from "gmail"), computed only as far as `limit`: returns limit + 1 as
/// soon as the distance must exceed it. Strings over 64 bytes count as too far. No allocation.
int boundedEditDistance(std::string_view a, std::string_view b, int limit);

/// A 64-bit set of the characters in `text` (a-z, 0-9, '-', '.', one bit for everything else).
std::uint64_t characterMask(std::string_view text);

/// A lower bound of the edit distance from the character sets alone: a character of one string
/// that the other lacks costs at least one edit. Lets most candidates be skipped in O(1).
int maskLowerBound(std::uint64_t a, std::uint64_t b);

}  // namespace mailsift::stages::typo
