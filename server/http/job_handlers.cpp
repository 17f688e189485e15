#include "http/job_handlers.h"

#include "http/http_error.h"
#include "http/job_json.h"

namespace mailsift::http {

namespace {

const std::string kJobNotFound = "Job not found";

}  // namespace

void registerJobRoutes(Router& router, jobs::JobService& jobs) {
    router.add("GET", "/v1/email/validate/job", [&jobs](RequestContext& ctx) {
        ctx.sendJson(200, jobsToJson(jobs.list(ctx.accountId())));
    });

    router.add("GET", "/v1/email/validate/job/{id}", [&jobs](RequestContext& ctx) {
        const auto job = jobs.get(ctx.accountId(), ctx.pathId("id", kJobNotFound));
        if (!job) {
            throw HttpError(404, kJobNotFound);
        }
        ctx.sendJson(200, jobToJson(*job));
    });
}

}  // namespace mailsift::http
