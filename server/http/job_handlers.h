#pragma once

#include "http/job_request.h"
#include "http/router.h"
#include "jobs/job_service.h"
#include "metrics/registry.h"

namespace mailsift::http {

/// Registers the validation-job routes of API.md (auth required; every call scoped to the caller's
/// account, another account's job answers 404 {"error":"Job not found"}):
/// POST   /v1/email/validate/job                 create (multipart or URL-encoded form) -> 201
/// {"id"} GET    /v1/email/validate/job                 job objects, newest first GET
/// /v1/email/validate/job/{id}            the job object GET    /v1/email/validate/job/{id}/result
/// ?pos=K: up to 1000 {"email","result"} from row K
///                                               (result null while the row is not finished)
/// GET    /v1/email/validate/job/{id}/download   ?filters=...: CSV streamed in chunks
/// DELETE /v1/email/validate/job/{id}            200 {} in any state
/// POST   /v1/email/validate/job/{id}/pause      200 job object
/// POST   /v1/email/validate/job/{id}/resume     200 job object
/// A download stops reading the store as soon as its client is gone (or cut by the connection
/// watchdog); with `metrics`, the rows read for downloads and the downloads stopped that way are
/// counted (mailsift_http_download_rows_total, mailsift_http_downloads_abandoned_total).
/// `jobs` and `metrics` must outlive the router.
void registerJobRoutes(Router& router, jobs::JobService& jobs, JobUploadOptions uploads = {},
                       metrics::Registry* metrics = nullptr);

}  // namespace mailsift::http
