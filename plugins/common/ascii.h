#pragma once
// Byte-level ASCII helpers for the hot path: locale-free, no allocation.

#include <string_view>

namespace mailsift::stages {

/// 'A'..'Z' mapped to 'a'..'z'; every other byte (including UTF-8 bytes) unchanged.
constexpr char toLowerAscii(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

constexpr bool isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// True when every byte is below 0x80.
constexpr bool isAscii(std::string_view text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

/// Space, tab, CR, LF, vertical tab and form feed.
constexpr bool isAsciiSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// `text` without leading and trailing ASCII white space.
constexpr std::string_view trimAscii(std::string_view text) {
    while (!text.empty() && isAsciiSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isAsciiSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

}  // namespace mailsift::stages
