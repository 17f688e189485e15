#include "http/job_json.h"

#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>

#include "http/plugin_json.h"
#include "http/timestamp.h"

namespace mailsift::http {
namespace {

std::string compact(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

store::TimePoint at(std::int64_t epochSeconds) {
    return store::TimePoint(std::chrono::seconds(epochSeconds));
}

TEST(TimestampTest, FormatsIso8601UtcWithZ) {
    EXPECT_EQ(formatTimestamp(at(0)), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatTimestamp(at(1768473000)), "2026-01-15T10:30:00Z");
    EXPECT_EQ(formatTimestamp(at(1768473000) + std::chrono::milliseconds(999)),
              "2026-01-15T10:30:00Z");
}

TEST(JobJsonTest, RunningJobMatchesTheApiExample) {
    store::JobRecord job;
    job.id = 123;
    job.accountId = 9;
    job.label = "Newsletter";
    job.state = "running";
    job.source = "file";
    job.emailCount = 5000;
    job.totalEmails = 1200;
    job.deliverableCount = 1000;
    job.undeliverableCount = 150;
    job.riskyCount = 50;
    job.createdAt = at(1768473000);
    job.error = "ignored unless failed";
    EXPECT_EQ(compact(jobToJson(job)),
              R"({"id":123,"label":"Newsletter","state":"running","emailCount":5000,)"
              R"("source":"file","integration":null,"summary":{"totalEmails":1200,)"
              R"("deliverableCount":1000,"undeliverableCount":150,"riskyCount":50},)"
              R"("createdAt":"2026-01-15T10:30:00Z","finishedAt":null})");
}

TEST(JobJsonTest, FailedIntegrationJobCarriesIntegrationFinishedAtAndError) {
    store::JobRecord job;
    job.id = 7;
    job.label = "";
    job.state = "failed";
    job.source = "hubspot";
    job.integrationId = 7;
    job.integrationSystem = "hubspot";
    job.createdAt = at(1768473000);
    job.finishedAt = at(1768473060);
    job.error = "The HubSpot token was rejected.";
    EXPECT_EQ(compact(jobToJson(job)),
              R"({"id":7,"label":"","state":"failed","emailCount":0,"source":"hubspot",)"
              R"("integration":{"id":7,"system":"hubspot"},"summary":{"totalEmails":0,)"
              R"("deliverableCount":0,"undeliverableCount":0,"riskyCount":0},)"
              R"("createdAt":"2026-01-15T10:30:00Z","finishedAt":"2026-01-15T10:31:00Z",)"
              R"("error":"The HubSpot token was rejected."})");
}

TEST(JobJsonTest, ArrayKeepsOrderAndEmptyIsBrackets) {
    EXPECT_EQ(compact(jobsToJson({})), "[]");
    store::JobRecord a;
    a.id = 2;
    store::JobRecord b;
    b.id = 1;
    const std::string text = compact(jobsToJson({a, b}));
    EXPECT_LT(text.find("\"id\":2"), text.find("\"id\":1"));
}

TEST(PluginJsonTest, ListsNameKindVersionAbiFileEnabled) {
    plugin_host::PluginInfo info;
    info.name = "mailsift.stage.syntax";
    info.kind = "stage";
    info.version = "1.2.0";
    info.abiMajor = 1;
    info.abiMinor = 0;
    info.file = "mailsift_stage_syntax.so";
    info.enabled = true;
    EXPECT_EQ(compact(pluginToJson(info)),
              R"({"name":"mailsift.stage.syntax","kind":"stage","version":"1.2.0",)"
              R"("abi":"1.0","file":"mailsift_stage_syntax.so","enabled":true})");
}

}  // namespace
}  // namespace mailsift::http
