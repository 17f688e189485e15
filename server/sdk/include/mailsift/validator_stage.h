#pragma once

#include "mailsift/batch.h"
#include "mailsift/host_api.h"

namespace mailsift {

/// What a stage gets besides the batch.
struct StageContext {
    HostApi& host;
};

/// One step of validation (syntax, lists, typo, dns, smtp). One instance serves every batch of the
/// process, so `run` may be called from several threads at once and must be thread-safe.
class ValidatorStage {
  public:
    virtual ~ValidatorStage() = default;

    /// Records evidence on the items of `batch` that are not settled. Must return by the batch
    /// deadline and soon after cancellation; items it could not finish get its "could not tell"
    /// fact (dnsUnresolved, smtpTimeout, ...), never a negative verdict.
    virtual void run(Batch& batch, StageContext& context) = 0;
};

}  // namespace mailsift
