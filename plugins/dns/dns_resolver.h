#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

#include "dns/dns_config.h"
#include "dns/domain_answer.h"

namespace mailsift::stages::dns {

/// Resolves the mail servers of many domains at once with c-ares: every domain's MX query is in
/// flight together (up to max_in_flight queries), and the A/AAAA queries of the exchangers follow
/// as the MX answers arrive, all driven by one poll() loop on the calling thread.
///
/// Each resolve() call has a c-ares channel of its own, so any number of threads may call it at
/// once on one instance. It does no caching: DnsStage keeps the cache.
class DnsResolver {
  public:
    /// Throws std::invalid_argument when `config.servers` is not a list c-ares accepts.
    explicit DnsResolver(DnsConfig config);

    /// One answer per distinct domain of `domains` (lower case, no trailing dot). Returns by
    /// `deadline` or soon after `*cancel` becomes true (cancel may be null); domains not finished
    /// by then are `unresolved` with a zero ttl. Every query gets timeout_ms × tries at most,
    /// whatever c-ares's own back-off would allow.
    std::unordered_map<std::string, DomainAnswer> resolve(
        const std::vector<std::string>& domains, std::chrono::steady_clock::time_point deadline,
        const std::atomic<bool>* cancel) const;

    const DnsConfig& config() const { return config_; }

  private:
    DnsConfig config_;
    std::string serversCsv_;
};

}  // namespace mailsift::stages::dns
