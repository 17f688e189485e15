#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <sstream>

#include "http/job_json.h"
#include "store/webhook_event_body.h"

namespace mailsift::store {
namespace {

std::string compact(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

JobRecord finishedJob(const std::string& state) {
    JobRecord job;
    job.id = 42;
    job.accountId = 7;
    job.label = "Newsletter \"May\"";
    job.state = state;
    job.source = "file";
    job.emailCount = 10;
    job.totalEmails = 10;
    job.deliverableCount = 6;
    job.undeliverableCount = 3;
    job.riskyCount = 1;
    job.createdAt = TimePoint(std::chrono::seconds(1768473000));
    job.finishedAt = TimePoint(std::chrono::seconds(1768473600));
    if (state == "failed") {
        job.error = "the file could not be read";
    }
    return job;
}

TEST(EventBodyTest, CarriesTheApiFieldsAndTheJobObjectOfTheApi) {
    for (const std::string state : {"done", "failed"}) {
        const JobRecord job = finishedJob(state);
        const std::string event = state == "done" ? kEventJobCompleted : kEventJobFailed;
        const std::string body = webhookEventBody(event, job);
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));  // keep key order
        const auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(object->getValue<std::string>("event"), event);
        EXPECT_EQ(object->getValue<Id>("jobId"), 42);
        EXPECT_EQ(object->getValue<Id>("accountId"), 7);
        EXPECT_EQ(object->getValue<std::string>("label"), "Newsletter \"May\"");
        EXPECT_EQ(object->getValue<std::string>("state"), state);
        EXPECT_EQ(object->getValue<std::int64_t>("emailCount"), 10);
        EXPECT_EQ(object->getValue<std::int64_t>("deliverableCount"), 6);
        EXPECT_EQ(object->getValue<std::int64_t>("undeliverableCount"), 3);
        EXPECT_EQ(object->getValue<std::int64_t>("riskyCount"), 1);
        EXPECT_EQ(object->getValue<std::string>("createdAt"), "2026-01-15T10:30:00Z");
        EXPECT_EQ(object->getValue<std::string>("finishedAt"), "2026-01-15T10:40:00Z");
        // The embedded job object is exactly what GET /v1/email/validate/job/{id} shows.
        EXPECT_EQ(compact(object->get("job")), compact(http::jobToJson(job))) << state;
    }
}

}  // namespace
}  // namespace mailsift::store
