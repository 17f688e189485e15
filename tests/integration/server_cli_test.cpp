// The platform as a user meets it: the real binary, its sub-commands, and the HTTP basics.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(ServerCli, FirstStartPrintsKeyThatWorksAndMetricsCountRequests) {
    ServerFixture fx;
    auto server = fx.serve();
    const std::string key = fx.bootstrapKey();
    ASSERT_FALSE(key.empty()) << server->out();

    auto client = fx.client(*server);
    const auto ok = client.get("/v1/email/validate/job", key);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "[]");
    const auto denied = client.get("/v1/email/validate/job");
    EXPECT_EQ(denied.status, 401);
    EXPECT_EQ(denied.body, R"({"error":"Unauthorized"})");

    // A request is counted just after its response has left, so wait for both lines to show.
    const std::regex ok200(
        R"(mailsift_http_requests_total\{[^}]*route="/v1/email/validate/job"[^}]*status="200"\} 1)");
    const std::regex denied401(
        R"(mailsift_http_requests_total\{[^}]*route="/v1/email/validate/job"[^}]*status="401"\} 1)");
    HttpResponse metrics;
    for (int i = 0; i < 250; ++i) {
        metrics = client.get("/metrics");
        if (std::regex_search(metrics.body, ok200) && std::regex_search(metrics.body, denied401)) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(metrics.status, 200);
    EXPECT_TRUE(contains(metrics.body, "route=\"/v1/email/validate/job\"")) << metrics.body;
    EXPECT_TRUE(std::regex_search(metrics.body, ok200)) << metrics.body;
    EXPECT_TRUE(std::regex_search(metrics.body, denied401)) << metrics.body;

    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(client.get("/readyz").status, 200);
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->err();
    EXPECT_TRUE(contains(server->err(), "shut down cleanly")) << server->err();
}

TEST(ServerCli, SecondStartCreatesNoOtherAccount) {
    ServerFixture fx;
    fx.serve()->stop(SIGINT);
    ASSERT_FALSE(fx.bootstrapKey().empty());
    auto again = fx.serve();
    EXPECT_TRUE(findKey(again->out()).empty()) << again->out();
    EXPECT_EQ(fx.client(*again).get("/v1/email/validate/job", fx.bootstrapKey()).status, 200);
    EXPECT_EQ(again->stop(SIGINT), 0);
}

TEST(ServerCli, KeysCreateListRevoke) {
    ServerFixture fx;
    const auto created = fx.run({"keys", "create", "--account", "acme"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    // Standard output carries the key and nothing else, so `KEY=$(... keys create ...)` works.
    const std::string key = findKey(created.out);
    ASSERT_FALSE(key.empty()) << created.out;
    EXPECT_EQ(created.out, key + "\n");

    const auto listed = fx.run({"keys", "list"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_TRUE(contains(listed.out, "acme")) << listed.out;
    EXPECT_FALSE(contains(listed.out, key)) << "keys list must never show a key";
    EXPECT_TRUE(contains(listed.out, key.substr(0, 16))) << listed.out;  // msk_<lookup id>

    auto server = fx.serve();
    EXPECT_TRUE(findKey(server->out()).empty()) << "an account exists, so no bootstrap key";
    auto client = fx.client(*server);
    EXPECT_EQ(client.get("/v1/email/validate/job", key).status, 200);

    std::smatch id;
    ASSERT_TRUE(std::regex_search(listed.out, id, std::regex(R"(\n(\d+)\s+acme)")));
    const auto revoked = fx.run({"keys", "revoke", id[1]});
    EXPECT_EQ(revoked.exitCode, 0) << revoked.err;
    EXPECT_EQ(client.get("/v1/email/validate/job", key).status, 401);
    EXPECT_NE(fx.run({"keys", "revoke", id[1]}).exitCode, 0) << "revoking twice is an error";
    EXPECT_EQ(fx.run({"keys", "revoke", "abc"}).exitCode, 2);
    server->stop(SIGTERM);
}

TEST(ServerCli, AccountsAreIsolated) {
    ServerFixture fx;
    const std::string a = findKey(fx.run({"keys", "create", "--account", "a"}).out);
    const std::string b = findKey(fx.run({"keys", "create", "--account", "b"}).out);
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    auto server = fx.serve();
    auto client = fx.client(*server);
    EXPECT_EQ(client.get("/v1/email/validate/job", a).body, "[]");
    EXPECT_EQ(client.get("/v1/email/validate/job/1", b).status, 404);
    EXPECT_EQ(client.get("/v1/email/validate/job/1", b).body, R"({"error":"Job not found"})");
    server->stop(SIGTERM);
}

TEST(ServerCli, MisspeltConfigKeyStopsStartUpNamingIt) {
    ServerFixture fx({.storeUrl = "", .extraYaml = "logging:\n  levle: debug\n"});
    const auto serve = fx.run({"serve"});
    EXPECT_EQ(serve.exitCode, 2);
    EXPECT_TRUE(contains(serve.err, "logging.levle: unknown key")) << serve.err;
    EXPECT_TRUE(contains(serve.err, "did you mean 'logging.level'")) << serve.err;
    const auto check = fx.run({"check-config"});
    EXPECT_EQ(check.exitCode, 2);
    EXPECT_TRUE(contains(check.err, "logging.levle")) << check.err;
}

TEST(ServerCli, CheckConfigAndMigrate) {
    ServerFixture fx;
    const auto check = fx.run({"check-config"});
    EXPECT_EQ(check.exitCode, 0) << check.err;
    EXPECT_TRUE(contains(check.out, "is valid")) << check.out;
    const auto migrate = fx.run({"migrate"});
    EXPECT_EQ(migrate.exitCode, 0) << migrate.err;
    EXPECT_TRUE(std::regex_search(migrate.out, std::regex(R"(schema version [1-9])")))
        << migrate.out;
}

TEST(ServerCli, ConfigFromEnvironmentWhenNoFlag) {
    ServerFixture fx;
    const auto viaEnv = runCommand(MAILSIFT_SERVER_BINARY, {"check-config"},
                                   {{"MAILSIFT_CONFIG", fx.configPath()}});
    EXPECT_EQ(viaEnv.exitCode, 0) << viaEnv.err;
    const auto none =
        runCommand(MAILSIFT_SERVER_BINARY, {"check-config"}, {{"MAILSIFT_CONFIG", ""}});
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_TRUE(contains(none.err, "--config FILE or set MAILSIFT_CONFIG")) << none.err;
}

TEST(ServerCli, UsageErrors) {
    EXPECT_EQ(runCommand(MAILSIFT_SERVER_BINARY, {}).exitCode, 2);
    EXPECT_EQ(runCommand(MAILSIFT_SERVER_BINARY, {"frobnicate"}).exitCode, 2);
    EXPECT_EQ(runCommand(MAILSIFT_SERVER_BINARY, {"keys", "create"}).exitCode, 2);
    const auto help = runCommand(MAILSIFT_SERVER_BINARY, {"--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_TRUE(contains(help.out, "keys create --account NAME"));
}

TEST(ServerCli, PluginsAreLoadedAndListed) {
    const std::string dir = std::string(MAILSIFT_TEST_PLUGIN_CASES) + "/good";
    ServerFixture fx(
        {.storeUrl = "",
         .extraYaml = "plugins:\n  dir: '" + dir + "'\n  stages:\n    - name: test.stage.good\n"});
    auto server = fx.serve();
    const auto res = fx.client(*server).get("/v1/plugins", fx.bootstrapKey());
    ASSERT_EQ(res.status, 200) << res.body;
    auto list = Poco::JSON::Parser().parse(res.body).extract<Poco::JSON::Array::Ptr>();
    bool sawStage = false;
    for (std::size_t i = 0; i < list->size(); ++i) {
        auto p = list->getObject(static_cast<unsigned>(i));
        if (p->getValue<std::string>("name") == "test.stage.good") {
            sawStage = true;
            EXPECT_EQ(p->getValue<std::string>("version"), "1.2.3");
            EXPECT_TRUE(p->getValue<bool>("enabled"));
        }
    }
    EXPECT_TRUE(sawStage) << res.body;
    server->stop(SIGTERM);
}

TEST(ServerCli, UnknownPluginNameStopsStartUp) {
    const std::string dir = std::string(MAILSIFT_TEST_PLUGIN_CASES) + "/good";
    ServerFixture fx(
        {.storeUrl = "",
         .extraYaml = "plugins:\n  dir: '" + dir + "'\n  stages:\n    - name: test.stage.nope\n"});
    const auto serve = fx.run({"serve"});
    EXPECT_EQ(serve.exitCode, 1);
    EXPECT_TRUE(contains(serve.err, "test.stage.nope")) << serve.err;
}
