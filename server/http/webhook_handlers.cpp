#include "http/webhook_handlers.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>

#include "http/http_error.h"
#include "http/json_body.h"
#include "http/webhook_json.h"
#include "webhooks/signing.h"
#include "webhooks/webhook_url.h"

namespace mailsift::http {

namespace {

const std::string kWebhookNotFound = "Webhook not found";

/// Events at most one subscription lists (the known ones, with room to grow).
constexpr std::size_t kMaxEvents = 16;

const std::vector<std::string>& knownEvents() {
    static const std::vector<std::string> kEvents{store::kEventJobCompleted,
                                                  store::kEventJobFailed};
    return kEvents;
}

std::string knownEventList() {
    std::string out;
    for (const auto& event : knownEvents()) {
        out += (out.empty() ? "" : ", ") + event;
    }
    return out;
}

void checkKeys(const Poco::JSON::Object& body) {
    for (const auto& [key, value] : body) {
        if (key != "url" && key != "events" && key != "active") {
            throw HttpError(
                400, "Unknown field '" + key + "': a webhook has only url, events and active.");
        }
    }
}

std::string readUrl(const Poco::JSON::Object& body) {
    const Poco::Dynamic::Var value = body.get("url");
    if (!value.isString()) {
        throw HttpError(400,
                        "url must be a string: the http or https address that receives "
                        "the events.");
    }
    const std::string url = value.extract<std::string>();
    if (const auto problem = webhooks::urlProblem(url)) {
        throw HttpError(400, "Invalid url: " + *problem);
    }
    return url;
}

std::vector<std::string> readEvents(const Poco::JSON::Object& body) {
    const Poco::JSON::Array::Ptr array = body.getArray("events");
    if (!array || array->size() == 0) {
        throw HttpError(
            400, "events must be a non-empty array of event names (" + knownEventList() + ").");
    }
    if (array->size() > kMaxEvents) {
        throw HttpError(400, "events lists too many names; give each event once.");
    }
    std::vector<std::string> events;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString()) {
            throw HttpError(400,
                            "events must hold event names as strings (" + knownEventList() + ").");
        }
        const std::string name = item.extract<std::string>();
        if (std::find(knownEvents().begin(), knownEvents().end(), name) == knownEvents().end()) {
            throw HttpError(
                400, "Unknown event '" + name.substr(0, 100) + "': use " + knownEventList() + ".");
        }
        if (std::find(events.begin(), events.end(), name) == events.end()) {
            events.push_back(name);
        }
    }
    return events;
}

bool readActive(const Poco::JSON::Object& body) {
    const Poco::Dynamic::Var value = body.get("active");
    if (!value.isBoolean()) {
        throw HttpError(400, "active must be true or false.");
    }
    return value.extract<bool>();
}

store::Id webhookId(const RequestContext& ctx) {
    return ctx.pathId("id", kWebhookNotFound);
}

}  // namespace

void registerWebhookRoutes(Router& router, store::Store& store) {
    router.add("POST", "/v1/webhooks", [&store](RequestContext& ctx) {
        const Poco::JSON::Object::Ptr body = parseJsonObjectBody(ctx.body());
        checkKeys(*body);
        if (!body->has("url")) {
            throw HttpError(400,
                            "url is required: the http or https address that receives the "
                            "events.");
        }
        const std::string url = readUrl(*body);
        const std::vector<std::string> events = readEvents(*body);
        if (store.listWebhooks(ctx.accountId()).size() >= kMaxWebhooksPerAccount) {
            throw HttpError(400, "This account has " + std::to_string(kMaxWebhooksPerAccount) +
                                     " webhooks already; delete one before adding another.");
        }
        store::WebhookRecord created = store.createWebhook(
            ctx.accountId(), url, webhooks::newSecret(), events, std::chrono::system_clock::now());
        if (body->has("active") && !readActive(*body)) {
            store::WebhookUpdate update;
            update.active = false;
            created = *store.updateWebhook(ctx.accountId(), created.id, update,
                                           std::chrono::system_clock::now());
        }
        ctx.sendJson(201, webhookToJson(created, true));
    });

    router.add("GET", "/v1/webhooks", [&store](RequestContext& ctx) {
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& webhook : store.listWebhooks(ctx.accountId())) {
            array->add(webhookToJson(webhook, false));
        }
        ctx.sendJson(200, array);
    });

    router.add("GET", "/v1/webhooks/{id}", [&store](RequestContext& ctx) {
        const auto webhook = store.findWebhook(ctx.accountId(), webhookId(ctx));
        if (!webhook) {
            throw HttpError(404, kWebhookNotFound);
        }
        ctx.sendJson(200, webhookToJson(*webhook, false));
    });

    router.add("PUT", "/v1/webhooks/{id}", [&store](RequestContext& ctx) {
        const store::Id id = webhookId(ctx);
        const Poco::JSON::Object::Ptr body = parseJsonObjectBody(ctx.body());
        checkKeys(*body);
        store::WebhookUpdate update;
        if (body->has("url")) {
            update.url = readUrl(*body);
        }
        if (body->has("events")) {
            update.events = readEvents(*body);
        }
        if (body->has("active")) {
            update.active = readActive(*body);
        }
        const auto updated =
            store.updateWebhook(ctx.accountId(), id, update, std::chrono::system_clock::now());
        if (!updated) {
            throw HttpError(404, kWebhookNotFound);
        }
        ctx.sendJson(200, webhookToJson(*updated, false));
    });

    router.add("DELETE", "/v1/webhooks/{id}", [&store](RequestContext& ctx) {
        if (!store.deleteWebhook(ctx.accountId(), webhookId(ctx))) {
            throw HttpError(404, kWebhookNotFound);
        }
        ctx.sendJson(200, Poco::JSON::Object::Ptr(new Poco::JSON::Object));
    });

    router.add("GET", "/v1/webhooks/{id}/deliveries", [&store](RequestContext& ctx) {
        const store::Id id = webhookId(ctx);
        if (!store.findWebhook(ctx.accountId(), id)) {
            throw HttpError(404, kWebhookNotFound);
        }
        Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
        for (const auto& delivery : store.listDeliveries(ctx.accountId(), id, kDeliveriesShown)) {
            array->add(deliveryToJson(delivery));
        }
        ctx.sendJson(200, array);
    });
}

}  // namespace mailsift::http
