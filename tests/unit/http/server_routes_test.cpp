// The production route table served over real sockets: service routes, jobs, plugins, metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "test_server.h"

namespace mailsift::http::testing {
namespace {

store::JobRecord makeJob(store::Id id, store::Id accountId, const std::string& label) {
    store::JobRecord job;
    job.id = id;
    job.accountId = accountId;
    job.label = label;
    job.state = "pending";
    job.source = "input";
    job.emailCount = 3;
    job.createdAt = store::TimePoint(std::chrono::seconds(1768473000));
    return job;
}

TEST(ServerRoutesTest, HealthzAnswersOkWithoutAuth) {
    TestServer server;
    const HttpResult result = server.get("/healthz");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"({"status":"ok"})");
    EXPECT_EQ(result.header("Content-Type"), "application/json");
}

TEST(ServerRoutesTest, ReadyzFollowsTheStore) {
    TestServer server;
    EXPECT_EQ(server.get("/readyz").status, 200);
    EXPECT_EQ(server.get("/readyz").body, R"({"status":"ready"})");

    server.store().failPing("Cannot connect to mysql://mailsift:hunter2@10.0.0.5:3306/prod.");
    const HttpResult down = server.get("/readyz");
    EXPECT_EQ(down.status, 503);
    EXPECT_NE(down.body.find(R"({"error":"The store is not reachable: )"), std::string::npos)
        << down.body;
    EXPECT_EQ(down.body.find("hunter2"), std::string::npos) << down.body;

    server.store().failPing("");
    EXPECT_EQ(server.get("/readyz").status, 200);
}

TEST(ServerRoutesTest, NewAccountHasNoJobs) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    const HttpResult result = server.get("/v1/email/validate/job", key);
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "[]");
    EXPECT_EQ(result.header("Content-Type"), "application/json");
}

TEST(ServerRoutesTest, JobsAreScopedToTheKeysAccount) {
    TestServer server;
    const std::string mine = server.issueKey("mine");
    const std::string theirs = server.issueKey("theirs");
    server.store().addJob(makeJob(1, server.accountId("mine"), "first"));
    server.store().addJob(makeJob(2, server.accountId("theirs"), "secret list"));
    server.store().addJob(makeJob(3, server.accountId("mine"), "second"));

    const HttpResult list = server.get("/v1/email/validate/job", mine);
    EXPECT_EQ(list.status, 200);
    EXPECT_LT(list.body.find("\"id\":3"), list.body.find("\"id\":1"));  // newest first
    EXPECT_EQ(list.body.find("secret list"), std::string::npos);

    const HttpResult own = server.get("/v1/email/validate/job/1", mine);
    EXPECT_EQ(own.status, 200);
    EXPECT_EQ(own.body.rfind(R"({"id":1,"label":"first","state":"pending","emailCount":3,)", 0), 0u)
        << own.body;

    const HttpResult other = server.get("/v1/email/validate/job/2", mine);
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(other.body, R"({"error":"Job not found"})");
    EXPECT_EQ(server.get("/v1/email/validate/job/2", theirs).status, 200);
}

TEST(ServerRoutesTest, NonNumericJobIdsAreNotFound) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    for (const char* uri : {"/v1/email/validate/job/abc", "/v1/email/validate/job/-3",
                            "/v1/email/validate/job/0", "/v1/email/validate/job/999"}) {
        const HttpResult result = server.get(uri, key);
        EXPECT_EQ(result.status, 404) << uri;
        EXPECT_EQ(result.body, R"({"error":"Job not found"})") << uri;
    }
}

TEST(ServerRoutesTest, PluginsListsWhatIsLoaded) {
    TestServer server;
    plugin_host::PluginInfo info;
    info.name = "mailsift.stage.syntax";
    info.kind = "stage";
    info.version = "0.1.0";
    info.abiMajor = 1;
    info.file = "mailsift_stage_syntax.so";
    info.enabled = true;
    server.plugins().push_back(info);
    const std::string key = server.issueKey("acme");
    EXPECT_EQ(server.get("/v1/plugins").status, 401);
    const HttpResult result = server.get("/v1/plugins", key);
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body,
              R"([{"name":"mailsift.stage.syntax","kind":"stage","version":"0.1.0","abi":"1.0",)"
              R"("file":"mailsift_stage_syntax.so","enabled":true}])");
}

TEST(ServerRoutesTest, MetricsCountRequestsByRouteAndStatus) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    EXPECT_EQ(server.get("/v1/email/validate/job", key).status, 200);
    EXPECT_EQ(server.get("/v1/email/validate/job").status, 401);
    EXPECT_EQ(server.get("/v1/email/validate/job/42", key).status, 404);
    EXPECT_EQ(server.get("/no/such/path/123").status, 404);

    const HttpResult scrape = server.get("/metrics");
    EXPECT_EQ(scrape.status, 200);
    EXPECT_EQ(scrape.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    const std::vector<std::string> expected = {
        R"(# TYPE mailsift_http_requests_total counter)",
        R"(mailsift_http_requests_total{method="GET",route="/v1/email/validate/job",status="200"} 1)",
        R"(mailsift_http_requests_total{method="GET",route="/v1/email/validate/job",status="401"} 1)",
        R"(mailsift_http_requests_total{method="GET",route="/v1/email/validate/job/{id}",status="404"} 1)",
        R"(mailsift_http_requests_total{method="GET",route="unmatched",status="404"} 1)",
        R"(# TYPE mailsift_http_request_duration_seconds histogram)",
        R"(mailsift_http_request_duration_seconds_bucket{method="GET",route="/v1/email/validate/job",le="+Inf"} 2)",
        R"(mailsift_http_request_duration_seconds_count{method="GET",route="/v1/email/validate/job"} 2)",
    };
    std::string text;
    for (const auto& line : expected) {
        text = server.awaitMetrics(line);
        EXPECT_NE(text.find(line), std::string::npos) << line << "\n---\n" << text;
    }
    EXPECT_EQ(text.find("/no/such/path"), std::string::npos);  // raw paths never become labels
}

TEST(ServerRoutesTest, AccessLogHasOneLinePerRequestAndNoSecrets) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    EXPECT_EQ(server.get("/v1/email/validate/job", key).status, 200);
    ASSERT_TRUE(
        eventually([&] { return server.logs().find(" ms account=") != std::string::npos; }));
    const std::string logs = server.logs();
    EXPECT_NE(logs.find("GET /v1/email/validate/job 200 "), std::string::npos) << logs;
    EXPECT_NE(logs.find(" ms account=" + std::to_string(server.accountId("acme"))),
              std::string::npos)
        << logs;
    EXPECT_EQ(logs.find(key), std::string::npos);
    EXPECT_EQ(logs.find("Bearer"), std::string::npos);
}

}  // namespace
}  // namespace mailsift::http::testing
