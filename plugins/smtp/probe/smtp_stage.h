#pragma once

#include <memory>
#include <string_view>

#include "mailsift/host_api.h"
#include "mailsift/validator_stage.h"
#include "probe/catch_all_cache.h"
#include "probe/host_limiter.h"
#include "probe/smtp_config.h"
#include "probe/tls_client_context.h"

namespace mailsift::stages::smtp {

/// The `mailsift.stage.smtp` validator stage: asks each item's mail servers whether they accept
/// the mailbox (RCPT TO, never DATA) and records one outcome Fact per item, plus smtpResponse and
/// mxHost. One instance serves every batch of the process: run() is thread-safe, and the host
/// caps, back-off state and catch-all cache are shared by all concurrent runs.
class SmtpStage final : public ValidatorStage {
  public:
    static constexpr std::string_view kName = "mailsift.stage.smtp";

    /// Throws std::invalid_argument for a bad config (see SmtpConfig::fromJson).
    SmtpStage(HostApi& host, std::string_view configJson);

    void run(Batch& batch, StageContext& context) override;

    const SmtpConfig& config() const { return config_; }
    /// The session caps and back-off state (tests look at them).
    const HostLimiter& limiter() const { return limiter_; }

  private:
    HostApi& host_;
    SmtpConfig config_;
    std::unique_ptr<TlsClientContext> tls_;  ///< null when starttls is off
    HostLimiter limiter_;
    CatchAllCache catchAll_;
};

}  // namespace mailsift::stages::smtp
