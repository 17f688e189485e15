#include "http/webhook_json.h"

#include <Poco/JSON/Array.h>

#include "http/timestamp.h"

namespace mailsift::http {

namespace {

Poco::JSON::Object::Ptr orderedObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace

Poco::JSON::Object::Ptr webhookToJson(const store::WebhookRecord& webhook, bool withSecret) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("id", webhook.id);
    object->set("url", webhook.url);
    Poco::JSON::Array::Ptr events = new Poco::JSON::Array;
    for (const auto& event : webhook.events) {
        events->add(event);
    }
    object->set("events", events);
    object->set("active", webhook.active);
    if (withSecret) {
        object->set("secret", webhook.secret);
    }
    object->set("createdAt", formatTimestamp(webhook.createdAt));
    object->set("updatedAt", formatTimestamp(webhook.updatedAt));
    return object;
}

Poco::JSON::Object::Ptr deliveryToJson(const store::DeliveryRecord& delivery) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("id", delivery.id);
    object->set("event", delivery.event);
    object->set("jobId",
                delivery.jobId ? Poco::Dynamic::Var(*delivery.jobId) : Poco::Dynamic::Var());
    object->set("state", delivery.state);
    object->set("attempts", delivery.attempts);
    object->set("lastStatus", delivery.lastStatus ? Poco::Dynamic::Var(*delivery.lastStatus)
                                                  : Poco::Dynamic::Var());
    object->set("lastError", delivery.lastError.empty() ? Poco::Dynamic::Var()
                                                        : Poco::Dynamic::Var(delivery.lastError));
    object->set("nextAttemptAt", delivery.state == "pending"
                                     ? Poco::Dynamic::Var(formatTimestamp(delivery.nextAttemptAt))
                                     : Poco::Dynamic::Var());
    object->set("createdAt", formatTimestamp(delivery.createdAt));
    object->set("deliveredAt", delivery.deliveredAt
                                   ? Poco::Dynamic::Var(formatTimestamp(*delivery.deliveredAt))
                                   : Poco::Dynamic::Var());
    return object;
}

}  // namespace mailsift::http
