#pragma once

#include "http/router.h"
#include "jobs/job_service.h"

namespace mailsift::http {

/// Registers the validation-job routes (auth required; every call scoped to the caller's account):
/// GET /v1/email/validate/job (array of job objects, newest first) and
/// GET /v1/email/validate/job/{id} (the job, or 404 {"error":"Job not found"}). `jobs` must
/// outlive the router.
void registerJobRoutes(Router& router, jobs::JobService& jobs);

}  // namespace mailsift::http
