#include "http/validate_handlers.h"

#include <Poco/JSON/Array.h>
#include <Poco/UUIDGenerator.h>

#include <string>
#include <vector>

#include "engine/result_json.h"
#include "http/http_error.h"
#include "http/json_body.h"

namespace mailsift::http {
namespace {

/// The `emails` member of the body as strings; HttpError 400 with a sentence otherwise.
std::vector<std::string> emailsOf(const Poco::JSON::Object::Ptr& body, int maxEmails) {
    if (!body->has("emails")) {
        throw HttpError(400, "The request body needs an \"emails\" array of addresses.");
    }
    const Poco::Dynamic::Var value = body->get("emails");
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        throw HttpError(400, "\"emails\" must be an array of strings.");
    }
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (array->size() == 0) {
        throw HttpError(400, "\"emails\" is empty: send between 1 and " +
                                 std::to_string(maxEmails) + " addresses.");
    }
    if (array->size() > static_cast<std::size_t>(maxEmails)) {
        throw HttpError(400, "\"emails\" has " + std::to_string(array->size()) +
                                 " addresses; at most " + std::to_string(maxEmails) +
                                 " are checked per request. Create a validation job for more.");
    }
    std::vector<std::string> emails;
    emails.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString()) {
            throw HttpError(400, "\"emails\" must be an array of strings; item " +
                                     std::to_string(i) + " is not a string.");
        }
        emails.push_back(item.extract<std::string>());
    }
    return emails;
}

}  // namespace

void registerValidateRoutes(Router& router, const engine::Validator& validator,
                            SyncValidationLimits limits, metrics::Registry& metrics) {
    router.add("POST", "/v1/email/validate", [&validator, limits, &metrics](RequestContext& ctx) {
        const auto emails = emailsOf(parseJsonObjectBody(ctx.body()), limits.maxEmails);
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
