#include "probe/reply_classifier.h"

#include <array>
#include <string>

namespace mailsift::stages::smtp {
namespace {

std::string lowerText(const SmtpReply& reply) {
    std::string text;
    for (const std::string& line : reply.lines) {
        text.push_back(' ');
        for (char c : line)
            text.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return text;
}

bool containsAny(std::string_view haystack, const auto& needles) {
    for (std::string_view needle : needles) {
        if (haystack.find(needle) != std::string_view::npos)
            return true;
    }
    return false;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

constexpr std::array<std::string_view, 22> kPolicyWords{
    "blocked",       "blocklist",       "block list",  "blacklist",     "black list",
    "spamhaus",      "spamcop",         "barracuda",   "sorbs",         "dnsbl",
    "policy",        "rejected due to", "not allowed", "access denied", "reputation",
    "banned",        "client host",     "your ip",     "abuse",         "prohibited",
    "not permitted", "relay denied"};

constexpr std::array<std::string_view, 5> kDisabledWords{"disabled", "deactivated", "suspended",
                                                         "inactive", "account closed"};

constexpr std::array<std::string_view, 5> kFullWords{
    "mailbox full", "mailbox is full", "over quota", "quota exceeded", "insufficient storage"};

constexpr std::array<std::string_view, 3> kTooManyConnections{
    "too many connections", "too many concurrent", "connection limit"};

constexpr std::array<std::string_view, 2> kTooManyRecipients{"too many recipients",
                                                             "too many rcpt"};

/// The enhanced code when it carries a meaning (x.0.0 is "other or undefined": fall back to text).
std::optional<EnhancedStatus> meaningful(const SmtpReply& reply) {
    if (reply.enhanced && (reply.enhanced->subject != 0 || reply.enhanced->detail != 0))
        return reply.enhanced;
    return std::nullopt;
}

RcptVerdict classifyPermanentByStatus(const EnhancedStatus& status) {
    switch (status.subject) {
        case 1:  // addressing status
            // 5.1.7 and 5.1.8 are about our sender address, not the recipient.
            return status.detail == 7 || status.detail == 8 ? RcptVerdict::blocked
                                                            : RcptVerdict::refused;
        case 2:  // mailbox status
            if (status.detail == 1)
                return RcptVerdict::disabled;
            if (status.detail == 2)
                return RcptVerdict::full;
            return RcptVerdict::unverified;
        case 7:  // security or policy status
            return RcptVerdict::blocked;
        default:
            return RcptVerdict::unverified;
    }
}

RcptVerdict classifyPermanentByText(int code, std::string_view text) {
    if (mentionsPolicy(text))
        return RcptVerdict::blocked;
    if (containsAny(text, kDisabledWords))
        return RcptVerdict::disabled;
    if (code == 552 || containsAny(text, kFullWords))
        return RcptVerdict::full;
    if (code == 554)
        return RcptVerdict::blocked;
    if (code == 550 || code == 551 || code == 553)
        return RcptVerdict::refused;
    return RcptVerdict::unverified;
}

}  // namespace

bool mentionsPolicy(std::string_view text) {
    return containsAny(lower(text), kPolicyWords);
}

bool mentionsTooManyConnections(std::string_view text) {
    return containsAny(lower(text), kTooManyConnections);
}

RcptVerdict classifyRcpt(const SmtpReply& reply) {
    if (reply.code == 250 || reply.code == 251)
        return RcptVerdict::accepted;
    const std::string text = lowerText(reply);
    if (reply.transient()) {
        if (reply.code == 421 || containsAny(text, kTooManyConnections))
            return RcptVerdict::serviceClosing;
        const bool status453 =
            reply.enhanced && reply.enhanced->subject == 5 && reply.enhanced->detail == 3;
        if (status453 || containsAny(text, kTooManyRecipients))
            return RcptVerdict::tooManyRecipients;
        return RcptVerdict::transient;
    }
    if (!reply.permanent())
        return RcptVerdict::unverified;
    if (const std::optional<EnhancedStatus> status = meaningful(reply))
        return classifyPermanentByStatus(*status);
    return classifyPermanentByText(reply.code, text);
}

SessionVerdict classifySession(const SmtpReply& reply) {
    if (reply.code >= 200 && reply.code < 400)
        return SessionVerdict::proceed;
    const std::string text = lowerText(reply);
    if (reply.code == 421 || containsAny(text, kTooManyConnections))
        return SessionVerdict::busy;
    if (reply.transient())
        return SessionVerdict::transient;
    return SessionVerdict::blocked;
}

}  // namespace mailsift::stages::smtp
