#pragma once

#include <chrono>

#include "engine/validator.h"
#include "http/router.h"
#include "metrics/registry.h"

namespace mailsift::http {

/// Settings of the synchronous route.
struct SyncValidationLimits {
    int maxEmails = 100;                       ///< addresses per request
    std::chrono::milliseconds timeout{30000};  ///< checks still running then answer unverified
};

/// Registers POST /v1/email/validate (auth required): validates 1 to `maxEmails` addresses at
/// once and answers {"creditsUsed", "results": [{"email", "contextId", "result"}]} in input
/// order. `validator` and `metrics` must outlive the router.
void registerValidateRoutes(Router& router, const engine::Validator& validator,
                            SyncValidationLimits limits, metrics::Registry& metrics);

}  // namespace mailsift::http
