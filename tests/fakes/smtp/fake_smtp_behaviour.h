#pragma once

#include <chrono>
#include <map>
#include <set>
#include <string>

namespace mailsift::fakes {

/// How the fake SMTP server behaves on one listening address. Plain data; edit freely (the server
/// reads a copy when a connection starts, so an edit applies to the next connection).
struct FakeSmtpBehaviour {
    using Ms = std::chrono::milliseconds;

    std::string hostname = "mx.fake.test";  ///< in the greeting and EHLO reply

    // Recipients. Addresses are compared in lower case.
    std::set<std::string> known;       ///< full addresses that exist
    std::set<std::string> knownLocal;  ///< local parts that exist at any domain
    bool catchAll = false;             ///< accept every recipient
    /// Scripted replies to RCPT TO for one address, e.g. "552 5.2.2 Mailbox full". A reply may be
    /// multi-line: separate lines with '\n' ("550-5.1.1 a\n550 5.1.1 b").
    std::map<std::string, std::string> rcptReplies;
    /// Greylisting: 451 4.7.1 for a (client IP, recipient) first seen less than this long ago.
    Ms greylist{0};
    int maxRcptPerTransaction = 0;  ///< beyond: 452 4.5.3 Too many recipients; 0 = no limit

    // Session stages: a non-empty reply replaces the normal one (e.g. "554 5.7.1 Client blocked").
    std::string bannerReply;
    std::string ehloReply;  ///< e.g. "502 5.5.2 Unknown" makes the client fall back to HELO
    std::string heloReply;
    std::string mailReply;

    // Connection behaviour.
    Ms bannerDelay{0};              ///< extra wait before the greeting
    Ms replyDelay{0};               ///< wait before every reply (sequentially, even when pipelined)
    bool dropAfterConnect = false;  ///< close without a greeting
    int closeAfterCommands = 0;     ///< close without a reply when this command arrives; 0 = never
    int maxConnectionsPerClient = 0;  ///< beyond: "421 4.7.0 Too many connections"; 0 = no limit

    // Extensions offered in the EHLO reply.
    bool pipelining = true;
    bool starttls = false;  ///< with a self-signed certificate made at run time
    bool smtputf8 = false;
};

}  // namespace mailsift::fakes
