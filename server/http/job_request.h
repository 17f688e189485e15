#pragma once

#include <cstdint>
#include <string>

#include "http/http_error.h"
#include "http/request_context.h"
#include "jobs/job_error.h"
#include "jobs/job_service.h"

namespace mailsift::http {

/// Limits and places for job uploads (limits.max_upload_bytes, jobs.spool_dir).
struct JobUploadOptions {
    std::int64_t maxUploadBytes = 256LL << 20;  ///< per uploaded file; larger answers 413
    std::string spoolDir = "spool";             ///< absolute, or relative to the working directory
};

/// The HttpError for a JobError: 400, 413, 404 or 503 with its sentence.
HttpError httpErrorOf(const jobs::JobError& error);

/// Runs `call` and returns what it returns, turning a JobError into the matching HttpError.
template <typename Call>
decltype(auto) answeringJobErrors(Call&& call) {
    try {
        return call();
    } catch (const jobs::JobError& error) {
        throw httpErrorOf(error);
    }
}

/// Reads the body of POST /v1/email/validate/job and creates the job; returns its id once every
/// row is stored. multipart/form-data fields: label, source, file, input, integration. A file part
/// that comes after `source` streams straight into the connector; one that comes first waits in a
/// spool file until the form is read. application/x-www-form-urlencoded is accepted as well (for
/// source=input). Throws HttpError (400, 413, ...) with a sentence for every client mistake.
/// Runs on the request's thread.
std::int64_t createJobFromRequest(RequestContext& ctx, jobs::JobService& jobs,
                                  const JobUploadOptions& options);

}  // namespace mailsift::http
