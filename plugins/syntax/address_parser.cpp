#include "syntax/address_parser.h"

#include <array>

#include "common/ascii.h"
#include "syntax/domain_parser.h"
#include "syntax/utf8.h"

namespace mailsift::stages::syntax {
namespace {

/// RFC 5322 atext without ALPHA and DIGIT.
constexpr std::string_view kAtextSpecials = "!#$%&'*+-/=?^_`{|}~";

/// One lookup per byte on the hot path instead of a search through kAtextSpecials.
constexpr std::array<bool, 256> kAtext = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) {
        const char ch = static_cast<char>(c);
        table[static_cast<std::size_t>(c)] =
            isAlpha(ch) || isDigit(ch) || kAtextSpecials.find(ch) != std::string_view::npos;
    }
    return table;
}();

bool isAtext(char c) {
    return kAtext[static_cast<unsigned char>(c)];
}

bool isNonAscii(char c) {
    return static_cast<unsigned char>(c) >= 0x80;
}

bool hasControlCharacter(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7F)
            return true;
    }
    return false;
}

/// Dot-atom local part (RFC 5321 Dot-string), with UTF-8 allowed by RFC 6531.
SyntaxError checkDotAtom(std::string_view local, bool& nonAscii) {
    if (local.empty())
        return SyntaxError::emptyLocal;
    if (local.front() == '.' || local.back() == '.')
        return SyntaxError::localDotPlacement;
    char previous = '\0';
    for (char c : local) {
        if (c == '.') {
            if (previous == '.')
                return SyntaxError::localDotPlacement;
        } else if (isNonAscii(c)) {
            nonAscii = true;
        } else if (!isAtext(c)) {
            return SyntaxError::localInvalidCharacter;
        }
        previous = c;
    }
    return SyntaxError::none;
}

/// Quoted-string local part starting at input[0] == '"' (RFC 5321 qtextSMTP / quoted-pairSMTP,
/// RFC 6531 UTF-8 in qtext). Sets `end` to the index just past the closing quote.
SyntaxError scanQuoted(std::string_view input, std::size_t& end, bool& nonAscii) {
    std::size_t i = 1;
    while (i < input.size()) {
        const char c = input[i];
        if (c == '"') {
            if (i == 1)
                return SyntaxError::emptyLocal;
            end = i + 1;
            return SyntaxError::none;
        }
        if (c == '\\') {
            if (i + 1 >= input.size())
                return SyntaxError::unterminatedQuote;
            const char escaped = input[i + 1];
            if (escaped < ' ' || escaped > '~')
                return SyntaxError::localInvalidCharacter;
            i += 2;
            continue;
        }
        if (isNonAscii(c))
            nonAscii = true;
        ++i;
    }
    return SyntaxError::unterminatedQuote;
}

}  // namespace

ParseResult parseAddress(std::string_view input, const SyntaxOptions& options) {
    ParseResult result;
    const std::string_view text = trimAscii(input);
    if (text.empty()) {
        result.error = SyntaxError::empty;
        return result;
    }
    if (text.size() > kMaxInputBytes) {
        result.error = SyntaxError::inputTooLong;
        return result;
    }
    // One cheap pass refuses CR/LF (folding white space), tabs, NUL and the rest early.
    if (hasControlCharacter(text)) {
        result.error = SyntaxError::controlCharacter;
        return result;
    }

    std::size_t at = 0;
    bool nonAscii = false;
    if (text.front() == '"') {
        std::size_t end = 0;
        result.error = scanQuoted(text, end, nonAscii);
        if (!result.ok())
            return result;
        if (end >= text.size()) {
            result.error = SyntaxError::missingAt;
            return result;
        }
        if (text[end] != '@') {
            result.error = SyntaxError::localInvalidCharacter;
            return result;
        }
        at = end;
        result.quotedLocal = true;
    } else {
        at = text.find('@');
        if (at == std::string_view::npos) {
            result.error = SyntaxError::missingAt;
            return result;
        }
        result.error = checkDotAtom(text.substr(0, at), nonAscii);
        if (!result.ok())
            return result;
    }
    result.local = text.substr(0, at);

    if (nonAscii) {
        if (!isCleanUtf8(result.local)) {
            result.error = SyntaxError::invalidUtf8;
            return result;
        }
        if (!options.allowUtf8Local) {
            result.error = SyntaxError::utf8NotAllowed;
            return result;
        }
        result.utf8Local = true;
    }
    if (result.local.size() > kMaxLocalBytes) {
        result.error = SyntaxError::localTooLong;
        return result;
    }

    result.error = parseDomain(text.substr(at + 1), options, result.domain, result.ipLiteral);
    if (!result.ok())
        return result;
    if (result.domain.size() > kMaxDomainBytes) {
        result.error = SyntaxError::domainTooLong;
        return result;
    }
    if (result.local.size() + 1 + result.domain.size() > kMaxAddressBytes)
        result.error = SyntaxError::addressTooLong;
    return result;
}

std::string_view describe(SyntaxError error) {
    switch (error) {
        case SyntaxError::none:
            return "valid";
        case SyntaxError::empty:
            return "empty address";
        case SyntaxError::inputTooLong:
            return "input far too long to be an address";
        case SyntaxError::controlCharacter:
            return "control character or line break";
        case SyntaxError::missingAt:
            return "no '@'";
        case SyntaxError::emptyLocal:
            return "empty local part";
        case SyntaxError::localInvalidCharacter:
            return "character not allowed in a local part";
        case SyntaxError::localDotPlacement:
            return "leading, trailing or double dot in the local part";
        case SyntaxError::unterminatedQuote:
            return "quoted local part without closing quote";
        case SyntaxError::invalidUtf8:
            return "malformed UTF-8";
        case SyntaxError::utf8NotAllowed:
            return "non-ASCII local part not allowed";
        case SyntaxError::localTooLong:
            return "local part longer than 64 octets";
        case SyntaxError::emptyDomain:
            return "empty domain";
        case SyntaxError::domainInvalidCharacter:
            return "character not allowed in a domain";
        case SyntaxError::emptyLabel:
            return "empty domain label";
        case SyntaxError::labelTooLong:
            return "domain label longer than 63 octets";
        case SyntaxError::labelHyphen:
            return "domain label starts or ends with a hyphen";
        case SyntaxError::numericTld:
            return "all-numeric top-level domain";
        case SyntaxError::singleLabelDomain:
            return "domain without a dot";
        case SyntaxError::invalidIdn:
            return "not a valid internationalized domain name";
        case SyntaxError::invalidAddressLiteral:
            return "address literal is not an IPv4 or IPv6 address";
        case SyntaxError::domainTooLong:
            return "domain longer than 255 octets";
        case SyntaxError::addressTooLong:
            return "address longer than 254 octets";
    }
    return "unknown";
}

}  // namespace mailsift::stages::syntax
