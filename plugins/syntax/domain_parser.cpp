#include "syntax/domain_parser.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>

#include "common/ascii.h"
#include "common/idna.h"
#include "syntax/utf8.h"

namespace mailsift::stages::syntax {
namespace {

constexpr std::size_t kMaxLabelBytes = 63;

/// Letters, digits and '-' map to themselves in lower case; every other byte maps to 0.
constexpr std::array<char, 256> kLdhLower = [] {
    std::array<char, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        if (isAlpha(ch) || isDigit(ch) || ch == '-')
            table[static_cast<std::size_t>(c)] = toLowerAscii(ch);
    }
    return table;
}();

/// Checks the labels of an ASCII domain and writes it, lower-cased, to `out`. Sets
/// `hasALabel` when a label starts with "xn--" (those need an IDNA check).
SyntaxError checkAsciiDomain(std::string_view domain, const SyntaxOptions& options,
                             std::string& out, bool& hasALabel) {
    if (domain.size() > kMaxDomainBytes)
        return SyntaxError::domainTooLong;
    out.assign(domain);
    const std::size_t size = out.size();
    std::size_t labels = 0;
    std::size_t labelStart = 0;
    bool labelAllDigits = true;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i == size || out[i] == '.') {
            const std::size_t length = i - labelStart;
            if (length == 0)
                return SyntaxError::emptyLabel;
            if (length > kMaxLabelBytes)
                return SyntaxError::labelTooLong;
            if (out[labelStart] == '-' || out[i - 1] == '-')
                return SyntaxError::labelHyphen;
            if (length >= 4 && out.compare(labelStart, 4, "xn--") == 0)
                hasALabel = true;
            ++labels;
            labelStart = i + 1;
            if (i < size)
                labelAllDigits = true;
            continue;
        }
        const char lower = kLdhLower[static_cast<unsigned char>(out[i])];
        if (lower == 0)
            return SyntaxError::domainInvalidCharacter;
        labelAllDigits = labelAllDigits && isDigit(lower);
        out[i] = lower;
    }
    if (labelAllDigits)
        return SyntaxError::numericTld;
    if (labels == 1 && !options.allowSingleLabelDomain)
        return SyntaxError::singleLabelDomain;
    return SyntaxError::none;
}

/// "[192.0.2.1]" or "[IPv6:2001:db8::1]" (tag in any case). General address literals with other
/// tags are refused: no mail system we could talk to uses them.
SyntaxError parseAddressLiteral(std::string_view literal, std::string& out) {
    if (literal.size() < 3 || literal.back() != ']')
        return SyntaxError::invalidAddressLiteral;
    std::string_view inner = literal.substr(1, literal.size() - 2);
    constexpr std::string_view kTag = "ipv6:";
    bool v6 = false;
    if (inner.size() > kTag.size()) {
        v6 = true;
        for (std::size_t i = 0; i < kTag.size(); ++i)
            v6 = v6 && toLowerAscii(inner[i]) == kTag[i];
    }
    if (v6)
        inner.remove_prefix(kTag.size());
    std::array<char, 64> text{};
    if (inner.empty() || inner.size() >= text.size())
        return SyntaxError::invalidAddressLiteral;
    std::memcpy(text.data(), inner.data(), inner.size());
    std::array<unsigned char, 16> binary{};
    if (inet_pton(v6 ? AF_INET6 : AF_INET, text.data(), binary.data()) != 1)
        return SyntaxError::invalidAddressLiteral;
    out.assign(v6 ? "[IPv6:" : "[");
    for (char c : inner)
        out.push_back(toLowerAscii(c));
    out.push_back(']');
    return SyntaxError::none;
}

}  // namespace

SyntaxError parseDomain(std::string_view raw, const SyntaxOptions& options, std::string& out,
                        bool& ipLiteral) {
    ipLiteral = false;
    if (raw.empty())
        return SyntaxError::emptyDomain;
    if (raw.front() == '[') {
        ipLiteral = true;
        return parseAddressLiteral(raw, out);
    }
    if (raw.back() == '.')
        raw.remove_suffix(1);  // the root label: "example.com." means "example.com"
    if (raw.empty())
        return SyntaxError::emptyLabel;

    bool hasALabel = false;
    if (isAscii(raw)) {
        const SyntaxError error = checkAsciiDomain(raw, options, out, hasALabel);
        if (error != SyntaxError::none || !hasALabel)
            return error;
        // "xn--" labels must be valid Punycode of a valid U-label.
        std::string checked;
        if (!domainToAscii(out, checked))
            return SyntaxError::invalidIdn;
        out = std::move(checked);
        return SyntaxError::none;
    }

    if (!isCleanUtf8(raw))
        return SyntaxError::invalidUtf8;
    std::string converted;
    if (!domainToAscii(raw, converted))
        return SyntaxError::invalidIdn;
    // UTS #46 maps U+3002 and friends to '.', so a trailing root label can appear only now.
    std::string_view mapped = converted;
    if (!mapped.empty() && mapped.back() == '.')
        mapped.remove_suffix(1);
    // The mapping may also have produced what LDH rules forbid (or an empty label): check again.
    return checkAsciiDomain(mapped, options, out, hasALabel);
}

}  // namespace mailsift::stages::syntax
