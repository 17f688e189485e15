#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mailsift::stages::syntax {

/// Why an address was refused. `none` means it parsed.
enum class SyntaxError : std::uint8_t {
    none,
    empty,                   ///< nothing left after trimming
    inputTooLong,            ///< over kMaxInputBytes before any parsing
    controlCharacter,        ///< C0/C1 control character or DEL anywhere
    missingAt,               ///< no '@' after the local part
    emptyLocal,              ///< nothing (or "") before the '@'
    localInvalidCharacter,   ///< a character outside atext (e.g. space, '(' of a comment, '@')
    localDotPlacement,       ///< leading, trailing or double dot in a dot-atom
    unterminatedQuote,       ///< quoted local part without its closing quote
    invalidUtf8,             ///< malformed UTF-8
    utf8NotAllowed,          ///< non-ASCII local part while allow_utf8_local is false
    localTooLong,            ///< local part over 64 octets
    emptyDomain,             ///< nothing after the '@'
    domainInvalidCharacter,  ///< a character outside letters, digits, '-' and '.'
    emptyLabel,              ///< leading or double dot in the domain
    labelTooLong,            ///< a label over 63 octets
    labelHyphen,             ///< a label starting or ending with '-'
    numericTld,              ///< the last label is all digits
    singleLabelDomain,       ///< no dot in the domain while allow_single_label_domain is false
    invalidIdn,              ///< IDNA conversion refused the domain
    invalidAddressLiteral,   ///< [...] that is neither an IPv4 nor an IPv6 address
    domainTooLong,           ///< domain over 255 octets (in A-labels)
    addressTooLong,          ///< local@domain over 254 octets
};

/// Parser switches, from the stage's config.
struct SyntaxOptions {
    bool allowUtf8Local = true;           ///< RFC 6531 UTF-8 local parts
    bool allowSingleLabelDomain = false;  ///< user@localhost
};

/// What parseAddress found.
struct ParseResult {
    SyntaxError error = SyntaxError::none;
    std::string_view local;    ///< local part as written (quotes included); a view into the input
    std::string domain;        ///< lower-case A-labels without trailing dot, or "[192.0.2.1]",
                               ///< "[IPv6:2001:db8::1]" for address literals
    bool quotedLocal = false;  ///< the local part is a quoted string
    bool ipLiteral = false;    ///< the domain is an address literal
    bool utf8Local = false;    ///< the local part has non-ASCII characters

    bool ok() const { return error == SyntaxError::none; }
};

/// Inputs longer than this are refused before parsing (a valid address has at most 254 octets,
/// plus room for surrounding white space and U-labels that shrink when converted to A-labels).
inline constexpr std::size_t kMaxInputBytes = 1024;
inline constexpr std::size_t kMaxLocalBytes = 64;
inline constexpr std::size_t kMaxDomainBytes = 255;
inline constexpr std::size_t kMaxAddressBytes = 254;

/// Parses one address: trims surrounding ASCII white space, then checks an RFC 5321 Mailbox
/// (dot-atom or quoted-string local part, RFC 6531 UTF-8 allowed; domain or address literal).
/// Comments and folding white space (RFC 5322 CFWS) are refused. Non-ASCII domains become
/// A-labels with libidn2; ASCII ones are only lower-cased. Never throws on any input; thread-safe.
ParseResult parseAddress(std::string_view input, const SyntaxOptions& options = {});

/// A short English phrase for logs and tests, e.g. "local part longer than 64 octets".
std::string_view describe(SyntaxError error);

}  // namespace mailsift::stages::syntax
