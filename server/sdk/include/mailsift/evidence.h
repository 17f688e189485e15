#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace mailsift {

/// One fact a stage established about an address. Stages only record facts; the engine's scoring
/// table alone turns them into score, classifier and description codes.
enum class Fact : std::uint8_t {
    // syntax
    syntaxInvalid,
    quotedLocalPart,
    ipLiteralDomain,
    // lists
    roleAccount,
    disposableDomain,
    freeProvider,
    blocklisted,
    // typo
    likelyTypo,
    // dns
    domainNotFound,  ///< NXDOMAIN
    noUsableMx,      ///< no MX and no A/AAAA, null MX, or MX hosts without addresses
    dnsUnresolved,   ///< SERVFAIL or timeout: could not tell for now
    mxFound,
    // smtp
    mailboxAccepted,
    mailboxRefused,   ///< 5.1.x: no such user
    mailboxDisabled,  ///< 5.2.1
    mailboxFull,      ///< 5.2.2 / 552
    catchAll,
    greylisted,
    smtpTimeout,
    smtpBlocked,  ///< our probe was refused for policy reasons
    noConnect,
    smtpUnverified,  ///< any other reason the mailbox could not be verified
};

/// One mail exchanger of a domain, as the dns stage resolved it.
struct MailServer {
    std::string host;              ///< host name, lower case, no trailing dot
    std::uint16_t preference = 0;  ///< MX preference (lower is tried first); 0 for implicit MX
    std::vector<std::string> addresses;  ///< IPv4/IPv6 literals, in the order they should be tried
};

/// Everything the stages learned about one address.
struct Evidence {
    std::vector<Fact> facts;   ///< in the order they were recorded, without repeats
    std::string smtpResponse;  ///< the server's reply to our RCPT, "" when no SMTP step ran
    std::string suggestion;    ///< a likely intended address when a typo was found
    std::string mxHost;        ///< the mail server that answered (or the preferred one)
    /// The domain's mail servers in the order to try them (set by the dns stage, read by smtp).
    std::vector<MailServer> mailServers;

    bool has(Fact f) const { return std::find(facts.begin(), facts.end(), f) != facts.end(); }
    void add(Fact f) {
        if (!has(f))
            facts.push_back(f);
    }
};

}  // namespace mailsift
