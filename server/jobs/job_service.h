#pragma once

#include <optional>
#include <vector>

#include "store/store.h"

namespace mailsift::jobs {

/// The validation-job use cases behind the /v1/email/validate/job routes. Every call is scoped to
/// the caller's account: another account's job is indistinguishable from a missing one.
/// Thread-safe (it holds no state of its own beyond the store).
class JobService {
  public:
    explicit JobService(store::Store& store) : store_(store) {}

    /// The account's jobs, newest first.
    std::vector<store::JobRecord> list(store::Id accountId);
    /// nullopt when the job does not exist or is not the account's.
    std::optional<store::JobRecord> get(store::Id accountId, store::Id jobId);

  private:
    store::Store& store_;
};

}  // namespace mailsift::jobs
