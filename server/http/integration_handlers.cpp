#include "http/integration_handlers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "http/http_error.h"
#include "http/json_body.h"
#include "http/timestamp.h"

namespace mailsift::http {
namespace {

const std::string kNotFound = "Integration not found";

Poco::JSON::Object::Ptr toJson(const integrations::IntegrationView& view) {
    const store::IntegrationRecord& r = view.record;
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("id", r.id);
    object->set("system", r.system);
    object->set("name", r.name);
    try {
        object->set("options", Poco::JSON::Parser().parse(r.optionsJson));
    } catch (const std::exception&) {
        object->set("options", Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    }
    if (view.credentialsHint.empty()) {
        object->set("credentialsHint", Poco::Dynamic::Var());
    } else {
        object->set("credentialsHint", view.credentialsHint);
    }
    object->set("createdAt", formatTimestamp(r.createdAt));
    object->set("updatedAt", formatTimestamp(r.updatedAt));
    return object;
}

int statusOf(integrations::IntegrationError::Kind kind) {
    switch (kind) {
        case integrations::IntegrationError::Kind::notFound:
            return 404;
        case integrations::IntegrationError::Kind::conflict:
            return 409;
        case integrations::IntegrationError::Kind::unavailable:
            return 503;
        case integrations::IntegrationError::Kind::badRequest:
            break;
    }
    return 400;
}

template <typename Call>
void answering(Call&& call) {
    try {
        call();
    } catch (const integrations::IntegrationError& error) {
        throw HttpError(statusOf(error.kind()), error.what());
    }
}

}  // namespace

void registerIntegrationRoutes(Router& router, integrations::IntegrationService& integrations) {
    router.add("POST", "/v1/integrations", [&integrations](RequestContext& ctx) {
        answering([&] {
            if (!integrations.enabled())
                integrations.list(ctx.accountId());  // answers 503 before the body is read
            const Poco::JSON::Object::Ptr body = parseJsonObjectBody(ctx.body());
            ctx.sendJson(201, toJson(integrations.create(ctx.accountId(), *body)));
        });
    });
    router.add("GET", "/v1/integrations", [&integrations](RequestContext& ctx) {
        answering([&] {
            Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
            for (const auto& view : integrations.list(ctx.accountId()))
                out->add(toJson(view));
            ctx.sendJson(200, out);
        });
    });
    router.add("GET", "/v1/integrations/{id}", [&integrations](RequestContext& ctx) {
        const std::int64_t id = ctx.pathId("id", kNotFound);
        answering([&] { ctx.sendJson(200, toJson(integrations.get(ctx.accountId(), id))); });
    });
    router.add("DELETE", "/v1/integrations/{id}", [&integrations](RequestContext& ctx) {
        const std::int64_t id = ctx.pathId("id", kNotFound);
        answering([&] {
            integrations.remove(ctx.accountId(), id);
            ctx.sendJson(200, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
        });
    });
}

}  // namespace mailsift::http
