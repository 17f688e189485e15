#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::stages::smtp {

/// An RFC 3463 enhanced status code, e.g. 5.1.1.
struct EnhancedStatus {
    int klass = 0;    ///< 2, 4 or 5
    int subject = 0;  ///< 0..999
    int detail = 0;   ///< 0..999

    bool operator==(const EnhancedStatus&) const = default;
};

/// One complete server reply (possibly multi-line).
struct SmtpReply {
    int code = 0;                            ///< 200..599
    std::optional<EnhancedStatus> enhanced;  ///< from the first line, when its class matches `code`
    /// The text of every line after "NNN-" / "NNN ", CR/LF stripped, as the server sent it.
    std::vector<std::string> lines;

    bool positive() const { return code >= 200 && code < 300; }
    bool transient() const { return code >= 400 && code < 500; }
    bool permanent() const { return code >= 500 && code < 600; }

    /// The reply as one printable line for Evidence::smtpResponse: "550 5.1.1 User unknown";
    /// continuation lines are joined with a space, their repeated enhanced code dropped, control
    /// bytes replaced by '?', and the result capped at 512 bytes.
    std::string summary() const;
};

/// What parseReply found at the start of a buffer.
struct ReplyParse {
    enum class Status {
        complete,    ///< `reply` holds one reply that used the first `consumed` bytes
        incomplete,  ///< no final line yet: read more bytes
        malformed,   ///< not SMTP: bad code, mixed codes, overlong line or too many lines
    };
    Status status = Status::incomplete;
    SmtpReply reply;
    std::size_t consumed = 0;
};

/// Limits that make a malformed reply of an endless stream of bytes.
inline constexpr std::size_t kMaxReplyLineBytes = 4096;
inline constexpr std::size_t kMaxReplyLines = 256;

/// Parses the first reply in `buffer`. Lines end in CRLF or bare LF; a line is "NNN", "NNN text",
/// or "NNN-text" (continuation); every line of a reply carries the same code. Pure and total: any
/// byte sequence gives one of the three statuses, never an exception or a crash.
ReplyParse parseReply(std::string_view buffer);

/// Reads an enhanced status code ("5.1.1") at the start of `text`, followed by a space or the end.
std::optional<EnhancedStatus> parseEnhancedStatus(std::string_view text);

}  // namespace mailsift::stages::smtp
