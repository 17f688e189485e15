#include "http/validate_handlers.h"

#include <Poco/UUIDGenerator.h>

#include <string>
#include <vector>

#include "engine/result_json.h"
#include "http/http_error.h"
#include "http/validate_request.h"

namespace mailsift::http {
void registerValidateRoutes(Router& router, const engine::Validator& validator,
                            SyncValidationLimits limits, metrics::Registry& metrics) {
    router.add("POST", "/v1/email/validate", [&validator, limits, &metrics](RequestContext& ctx) {
        const auto emails = readValidateRequest(ctx.body(), limits.maxEmails);
        const auto outcome = validator.validate(emails, ctx.accountId(),
                                                std::chrono::steady_clock::now() + limits.timeout);
        auto& uuids = Poco::UUIDGenerator::defaultGenerator();
        std::string body =
            "{\"creditsUsed\":" + std::to_string(outcome.uniqueAddresses) + ",\"results\":[";
        for (std::size_t i = 0; i < emails.size(); ++i) {
            const auto& result = outcome.results[i];
            metrics
                .counter("mailsift_validations_total",
                         "Addresses validated, by route and classifier.",
                         {{"route", "sync"}, {"classifier", result.classifier}})
                .inc();
            body += i == 0 ? "{\"email\":" : ",{\"email\":";
            engine::appendJsonString(body, emails[i]);
            body += ",\"contextId\":";
            engine::appendJsonString(body, uuids.createRandom().toString());
            body += ",\"result\":";
            engine::appendResultJson(body, result);
            body += '}';
        }
        body += "]}";
        ctx.sendText(200, "application/json", body);
    });
}

}  // namespace mailsift::http
