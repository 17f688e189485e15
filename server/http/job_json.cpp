#include "http/job_json.h"

#include "http/timestamp.h"

namespace mailsift::http {

namespace {

Poco::JSON::Object::Ptr orderedObject() {
    return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
}

}  // namespace

Poco::JSON::Object::Ptr jobToJson(const store::JobRecord& job) {
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
    object->set("createdAt", formatTimestamp(job.createdAt));
    if (job.finishedAt) {
        object->set("finishedAt", formatTimestamp(*job.finishedAt));
    } else {
        object->set("finishedAt", Poco::Dynamic::Var());
    }
    if (job.state == "failed") {
        object->set("error", job.error);
    }
    return object;
}

Poco::JSON::Array::Ptr jobsToJson(const std::vector<store::JobRecord>& jobs) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& job : jobs) {
        array->add(jobToJson(job));
    }
    return array;
}

}  // namespace mailsift::http
