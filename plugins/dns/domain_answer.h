#pragma once

#include <chrono>
#include <vector>

#include "mailsift/evidence.h"

namespace mailsift::stages::dns {

/// What DNS said about a domain, as far as mail delivery is concerned.
enum class DnsOutcome {
    mxFound,         ///< servers holds at least one exchanger with addresses
    domainNotFound,  ///< NXDOMAIN
    noUsableMx,      ///< null MX, NODATA for MX and A/AAAA, or no exchanger has an address
    unresolved,      ///< SERVFAIL, REFUSED, timeout, garbage, deadline or cancellation
};

/// The final answer for one domain; what the cache stores and the stage copies onto items.
struct DomainAnswer {
    DnsOutcome outcome = DnsOutcome::unresolved;
    std::vector<MailServer> servers;  ///< by preference, then host name; only for mxFound
    /// How long the answer may be reused (already clamped by the config); zero = not cacheable.
    std::chrono::seconds ttl{0};
};

}  // namespace mailsift::stages::dns
