#include "probe/smtp_stage.h"

#include "probe/probe_run.h"

namespace mailsift::stages::smtp {

SmtpStage::SmtpStage(HostApi& host, std::string_view configJson)
    : host_(host),
      config_(SmtpConfig::fromJson(configJson)),
      tls_(config_.starttls ? std::make_unique<TlsClientContext>() : nullptr),
      limiter_(config_.perHostConnections, config_.maxConnections, config_.backoffInitial,
               config_.backoffMax),
      catchAll_(config_.catchAllTtl) {
    host_.log(HostApi::LogLevel::info, kName,
              "probing as " + config_.heloName + " <" + config_.mailFrom + "> on port " +
                  std::to_string(config_.port));
}

void SmtpStage::run(Batch& batch, StageContext& context) {
    const ProbeShared shared{config_, limiter_, catchAll_, tls_ ? tls_->get() : nullptr,
                             context.host};
    ProbeRun(shared, batch).run();
}

}  // namespace mailsift::stages::smtp
