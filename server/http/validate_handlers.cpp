#include "http/validate_handlers.h"

#include <Poco/JSON/Array.h>
#include <Poco/UUIDGenerator.h>

#include <string>
#include <vector>

#include "http/http_error.h"
#include "http/json_body.h"
#include "http/result_json.h"

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
        Poco::JSON::Array::Ptr results = new Poco::JSON::Array;
        auto& uuids = Poco::UUIDGenerator::defaultGenerator();
        for (std::size_t i = 0; i < emails.size(); ++i) {
            const auto& result = outcome.results[i];
            metrics
                .counter("mailsift_validations_total",
                         "Addresses validated, by route and classifier.",
                         {{"route", "sync"}, {"classifier", result.classifier}})
                .inc();
            Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            entry->set("email", emails[i]);
            entry->set("contextId", uuids.createRandom().toString());
            entry->set("result", resultToJson(result));
            results->add(entry);
        }
        Poco::JSON::Object::Ptr response = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        response->set("creditsUsed", static_cast<Poco::Int64>(outcome.uniqueAddresses));
        response->set("results", results);
        ctx.sendJson(200, response);
    });
}

}  // namespace mailsift::http
