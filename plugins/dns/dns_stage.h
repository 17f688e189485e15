#pragma once

#include <memory>
#include <string_view>

#include "dns/dns_cache.h"
#include "dns/dns_config.h"
#include "dns/dns_resolver.h"
#include "mailsift/host_api.h"
#include "mailsift/validator_stage.h"

namespace mailsift::stages::dns {

/// The `mailsift.stage.dns` validator stage: finds the mail servers of every unsettled item's
/// domain, one lookup per domain per batch, answers cached across batches by TTL. Records
/// mxFound (with Evidence::mailServers and mxHost), or settles the item with domainNotFound,
/// noUsableMx or dnsUnresolved. IP-literal domains are their own single mail server.
///
/// One instance serves every batch; run() may be called from several threads at once.
class DnsStage final : public ValidatorStage {
  public:
    /// Throws std::invalid_argument for a bad config (see DnsConfig::parse).
    DnsStage(HostApi& host, std::string_view configJson);
    DnsStage(HostApi& host, DnsConfig config);

    void run(Batch& batch, StageContext& context) override;

    /// The shared answer cache (for tests and metrics).
    const DnsCache& cache() const { return cache_; }

  private:
    HostApi& host_;
    DnsResolver resolver_;
    DnsCache cache_;
};

}  // namespace mailsift::stages::dns
