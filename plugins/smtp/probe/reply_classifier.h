#pragma once

#include <string_view>

#include "probe/smtp_reply.h"

namespace mailsift::stages::smtp {

/// What a reply to RCPT TO says about the mailbox.
enum class RcptVerdict {
    accepted,           ///< 250/251
    refused,            ///< no such user (5.1.x, or 550/551/553 without policy words)
    disabled,           ///< 5.2.1
    full,               ///< 5.2.2, or 552 without an enhanced code
    blocked,            ///< our probe was refused for policy reasons (5.7.x, 554, blocklist text)
    transient,          ///< 4xx: greylisting or a temporary problem; retry later
    tooManyRecipients,  ///< 452 4.5.3 / "too many recipients": retry in the next transaction
    serviceClosing,     ///< 421 or "too many connections": the session ends; back off the host
    unverified,         ///< anything else (252, protocol errors, 5.3.x, 5.5.x, ...)
};

/// What a reply to the greeting, EHLO/HELO or MAIL FROM says about the session.
enum class SessionVerdict {
    proceed,    ///< 2xx (3xx for nothing we send, but harmless)
    busy,       ///< 421, "too many connections", or another 4xx at the greeting: back off the host
    transient,  ///< 4xx to EHLO or MAIL FROM: try again later
    blocked,    ///< 5xx: our client, name or sender is refused; never a verdict on a mailbox
};

/// Classifies the reply to RCPT TO. Enhanced status codes decide first (x.0.0 counts as none);
/// the reply text only when there is no enhanced code. Pure; any reply is fine.
RcptVerdict classifyRcpt(const SmtpReply& reply);

/// Classifies a reply at the greeting, EHLO/HELO or MAIL FROM. Pure; any reply is fine.
SessionVerdict classifySession(const SmtpReply& reply);

/// True when `text` (any case) names a block list, a policy or a reputation problem.
bool mentionsPolicy(std::string_view text);

/// True when `text` (any case) says the server has too many connections from us.
bool mentionsTooManyConnections(std::string_view text);

}  // namespace mailsift::stages::smtp
