// /v1/integrations through the real mailsift-server: credentials sealed in the store and never
// in a response or the log, the key from MAILSIFT_SECRET_KEY or a key file, 503 without one,
// account scoping and the 400/404/409 answers.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

const std::string kKey = "8f1c0a8e5b3d4f6a7c9e1b2d3f4a5c6e7d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
const std::string kToken = "pat-na1-aaaabbbb-cccc-dddd-eeee-ffff00001234";

Poco::JSON::Object::Ptr object(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string hubspotBody(const std::string& name) {
    return R"({"system":"hubspot","name":")" + name + R"(","credentials":{"accessToken":")" +
           kToken + R"("},"options":{"listId":"12","writeBack":true}})";
}

std::unique_ptr<ServerProcess> serveWithEnv(ServerFixture& fixture,
                                            const std::map<std::string, std::string>& env) {
    auto server = std::make_unique<ServerProcess>(
        MAILSIFT_SERVER_BINARY, std::vector<std::string>{"serve", "--config", fixture.configPath()},
        env);
    server->start();
    return server;
}

std::string createKey(ServerFixture& fixture) {
    const CommandResult created = fixture.run({"keys", "create", "--account", "alice"});
    EXPECT_EQ(created.exitCode, 0) << created.err;
    return findKey(created.out);
}

TEST(IntegrationsRoute, CreateListGetDeleteWithoutEverShowingTheCredentials) {
    ServerFixture fixture;
    const std::string alice = createKey(fixture);
    const CommandResult other = fixture.run({"keys", "create", "--account", "bob"});
    const std::string bob = findKey(other.out);
    auto server = serveWithEnv(fixture, {{"MAILSIFT_SECRET_KEY", kKey}});
    const HttpClient http = fixture.client(*server);

    const HttpResponse created =
        http.request("POST", "/v1/integrations", alice, hubspotBody("Sales CRM"));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.body.find("pat-na1"), std::string::npos);
    const auto integration = object(created.body);
    const auto id = integration->getValue<std::int64_t>("id");
    EXPECT_EQ(integration->getValue<std::string>("system"), "hubspot");
    EXPECT_EQ(integration->getValue<std::string>("name"), "Sales CRM");
    EXPECT_EQ(integration->getValue<std::string>("credentialsHint"), "****1234");
    EXPECT_FALSE(integration->has("credentials"));
    EXPECT_TRUE(integration->getObject("options")->getValue<bool>("writeBack"));

    const HttpResponse listed = http.get("/v1/integrations", alice);
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.body.find("pat-na1"), std::string::npos);
    EXPECT_EQ(Poco::JSON::Parser().parse(listed.body).extract<Poco::JSON::Array::Ptr>()->size(),
              1u);
    const std::string path = "/v1/integrations/" + std::to_string(id);
    EXPECT_EQ(http.get(path, alice).status, 200);
    EXPECT_EQ(http.get(path, bob).status, 404);
    EXPECT_EQ(http.get(path, bob).body, R"({"error":"Integration not found"})");
    EXPECT_EQ(http.get("/v1/integrations", bob).body, "[]");
    EXPECT_EQ(http.request("DELETE", path, bob).status, 404);

    EXPECT_EQ(http.request("POST", "/v1/integrations", alice, hubspotBody("Sales CRM")).status,
              409);
    EXPECT_EQ(http.request("POST", "/v1/integrations", alice, "{not json").status, 400);
    const HttpResponse bad = http.request("POST", "/v1/integrations", alice,
                                          R"({"system":"mailjet","credentials":{"apiKey":"k"}})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("apiSecret"), std::string::npos);
    EXPECT_EQ(http.get("/v1/integrations").status, 401);

    EXPECT_EQ(http.request("DELETE", path, alice).status, 200);
    EXPECT_EQ(http.get(path, alice).status, 404);
    server->stop(SIGTERM);

    // Neither the log nor the database file holds the token in clear.
    EXPECT_EQ(server->err().find("pat-na1"), std::string::npos);
    EXPECT_EQ(server->out().find("pat-na1"), std::string::npos);
    std::ifstream db(fixture.dir().file("mailsift.db"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find("pat-na1"), std::string::npos);
}

TEST(IntegrationsRoute, TheKeyFileWorksAndAnotherKeyCannotReadTheCredentials) {
    ServerFixture fixture(ServerSetup{"", "integrations:\n  secret_key_file: secret.key\n"});
    fixture.dir().write("secret.key", kKey + "\n");
    const std::string alice = createKey(fixture);
    std::int64_t id = 0;
    {
        auto server = serveWithEnv(fixture, {});
        const HttpResponse created =
            fixture.client(*server).request("POST", "/v1/integrations", alice, hubspotBody("CRM"));
        ASSERT_EQ(created.status, 201) << created.body;
        id = object(created.body)->getValue<std::int64_t>("id");
        server->stop(SIGTERM);
    }
    // The environment wins over the file; under another key the hint can no longer be shown.
    std::string otherKey = kKey;
    otherKey[0] = otherKey[0] == '0' ? '1' : '0';
    auto server = serveWithEnv(fixture, {{"MAILSIFT_SECRET_KEY", otherKey}});
    const HttpResponse got =
        fixture.client(*server).get("/v1/integrations/" + std::to_string(id), alice);
    ASSERT_EQ(got.status, 200);
    EXPECT_TRUE(object(got.body)->isNull("credentialsHint"));
}

TEST(IntegrationsRoute, WithoutAKeyTheRoutesAnswer503WithHowToSetOne) {
    ServerFixture fixture;
    const std::string alice = createKey(fixture);
    auto server = serveWithEnv(fixture, {});
    const HttpClient http = fixture.client(*server);
    for (const auto& [method, path] :
         {std::pair<std::string, std::string>{"GET", "/v1/integrations"},
          {"POST", "/v1/integrations"},
          {"GET", "/v1/integrations/1"},
          {"DELETE", "/v1/integrations/1"}}) {
        const HttpResponse r =
            http.request(method, path, alice, method == "POST" ? hubspotBody("x") : "");
        EXPECT_EQ(r.status, 503) << method << " " << path;
        EXPECT_NE(r.body.find("MAILSIFT_SECRET_KEY"), std::string::npos) << r.body;
    }
}

TEST(IntegrationsRoute, AMalformedKeyStopsStartUp) {
    ServerFixture fixture;
    const CommandResult r =
        runCommand(MAILSIFT_SERVER_BINARY, {"serve", "--config", fixture.configPath()},
                   {{"MAILSIFT_SECRET_KEY", "too-short"}});
    EXPECT_NE(r.exitCode, 0) << r.err;
    EXPECT_NE(r.err.find("MAILSIFT_SECRET_KEY"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("too-short"), std::string::npos);
}

}  // namespace
