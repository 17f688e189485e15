#include "jobs/job_service.h"

namespace mailsift::jobs {

std::vector<store::JobRecord> JobService::list(store::Id accountId) {
    return store_.listJobs(accountId);
}

std::optional<store::JobRecord> JobService::get(store::Id accountId, store::Id jobId) {
    return store_.findJob(accountId, jobId);
}

}  // namespace mailsift::jobs
