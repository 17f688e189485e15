#pragma once

#include <Poco/Net/IPAddress.h>

#include <optional>
#include <string>

namespace mailsift::webhooks {

/// True for addresses a webhook must not reach unless the operator allows it: loopback,
/// unspecified, private (RFC 1918, fc00::/7, fec0::/10), carrier-grade NAT (100.64/10),
/// link-local (169.254/16, fe80::/10), multicast, broadcast, 0/8, and IPv4-mapped forms of them.
bool isPrivateAddress(const Poco::Net::IPAddress& address);

/// The address a delivery connects to, or why there is none.
struct ResolvedTarget {
    std::optional<Poco::Net::IPAddress> address;
    std::string problem;   ///< when address is empty
    bool refused = false;  ///< true: refused by policy (not a passing DNS failure)
};

/// Resolves webhook hosts and applies the private-address rule. The delivery then connects to
/// the checked address itself (not to the name again), so a name that changes its answer
/// between check and connect cannot slip through. Thread-safe.
class TargetPolicy {
  public:
    explicit TargetPolicy(bool allowPrivate) : allowPrivate_(allowPrivate) {}

    /// Every address of `host` must be allowed (a name with one private address among public
    /// ones is refused); answers the first.
    ResolvedTarget resolve(const std::string& host) const;

  private:
    bool allowPrivate_;
};

}  // namespace mailsift::webhooks
