#include "store/webhook_event_body.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <sstream>

#include "store/epoch_millis.h"

namespace mailsift::store {

namespace {

Poco::JSON::Object::Ptr orderedObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

std::string timestamp(TimePoint t) {
    const Poco::Timestamp ts(static_cast<Poco::Timestamp::TimeVal>(toEpochMillis(t)) * 1000);
    return Poco::DateTimeFormatter::format(ts, "%Y-%m-%dT%H:%M:%SZ");
}

Poco::Dynamic::Var optionalTimestamp(const std::optional<TimePoint>& t) {
    return t ? Poco::Dynamic::Var(timestamp(*t)) : Poco::Dynamic::Var();
}

Poco::JSON::Object::Ptr jobObject(const JobRecord& job) {
    Poco::JSON::Object::Ptr object = orderedObject();
    object->set("id", job.id);
    object->set("label", job.label);
    object->set("state", job.state);
    object->set("emailCount", job.emailCount);
    object->set("source", job.source);
    if (job.integrationId) {
        Poco::JSON::Object::Ptr integration = orderedObject();
        integration->set("id", *job.integrationId);
        integration->set("system", job.integrationSystem);
        object->set("integration", integration);
    } else {
        object->set("integration", Poco::Dynamic::Var());
    }
    Poco::JSON::Object::Ptr summary = orderedObject();
    summary->set("totalEmails", job.totalEmails);
    summary->set("deliverableCount", job.deliverableCount);
    summary->set("undeliverableCount", job.undeliverableCount);
    summary->set("riskyCount", job.riskyCount);
    object->set("summary", summary);
    object->set("createdAt", timestamp(job.createdAt));
    object->set("finishedAt", optionalTimestamp(job.finishedAt));
    if (job.state == "failed") {
        object->set("error", job.error);
    }
    return object;
}

}  // namespace

std::string webhookEventBody(const std::string& event, const JobRecord& job) {
    Poco::JSON::Object::Ptr body = orderedObject();
    body->set("event", event);
    body->set("jobId", job.id);
    body->set("accountId", job.accountId);
    body->set("label", job.label);
    body->set("state", job.state);
    body->set("emailCount", job.emailCount);
    body->set("deliverableCount", job.deliverableCount);
    body->set("undeliverableCount", job.undeliverableCount);
    body->set("riskyCount", job.riskyCount);
    body->set("createdAt", timestamp(job.createdAt));
    body->set("finishedAt", optionalTimestamp(job.finishedAt));
    body->set("job", jobObject(job));
    std::ostringstream out;
    body->stringify(out);
    return out.str();
}

}  // namespace mailsift::store
