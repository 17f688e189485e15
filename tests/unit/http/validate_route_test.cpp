// POST /v1/email/validate request checking and response shape, over real sockets. The pipeline has
// no stages here (stage behaviour is tested with the real plugins in tests/integration).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <set>

#include "test_server.h"

namespace mailsift::http::testing {
namespace {

HttpResult postValidate(TestServer& server, const std::string& key, const std::string& body) {
    RequestSpec spec;
    spec.method = "POST";
    spec.uri = "/v1/email/validate";
    spec.headers.emplace_back("Authorization", "Bearer " + key);
    spec.headers.emplace_back("Content-Type", "application/json");
    spec.body = body;
    return server.send(spec);
}

std::string errorOf(const HttpResult& r) {
    return Poco::JSON::Parser()
        .parse(r.body)
        .extract<Poco::JSON::Object::Ptr>()
        ->getValue<std::string>("error");
}

TEST(ValidateRouteTest, NeedsAKey) {
    TestServer server;
    RequestSpec spec;
    spec.method = "POST";
    spec.uri = "/v1/email/validate";
    spec.body = R"({"emails":["a@b.com"]})";
    EXPECT_EQ(server.send(spec).status, 401);
}

TEST(ValidateRouteTest, BadBodiesAre400WithASentence) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    const std::vector<std::pair<std::string, std::string>> cases{
        {"not json", "not valid JSON"},
        {"[1,2]", ""},
        {"{}", "needs an \"emails\" array"},
        {R"({"emails":"a@b.com"})", "must be an array of strings"},
        {R"({"emails":[]})", "is empty"},
        {R"({"emails":["a@b.com", 5]})", "item 1 is not a string"},
        {R"({"emails":[null]})", "item 0 is not a string"},
    };
    for (const auto& [body, fragment] : cases) {
        const auto r = postValidate(server, key, body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_NE(errorOf(r).find(fragment), std::string::npos) << body << " -> " << r.body;
    }
}

TEST(ValidateRouteTest, MoreThanAHundredIs400) {
    std::string body = R"({"emails":[)";
    for (int i = 0; i < 101; ++i)
        body += (i ? "," : "") + std::string("\"u") + std::to_string(i) + "@x.io\"";
    body += "]}";
    // The usual test body limit (1 KiB) is too small for 101 addresses.
    auto config = testHttpConfig();
    config.maxBodyBytes = 1 << 20;
    TestServer big(config, {});
    const auto r = postValidate(big, big.issueKey("acme"), body);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(errorOf(r).find("at most 100"), std::string::npos) << r.body;
}

TEST(ValidateRouteTest, AnswersEveryAddressInOrderWithUniqueContextIds) {
    TestServer server;
    const std::string key = server.issueKey("acme");
    const auto r = postValidate(server, key, R"({"emails":["a@x.io","b@x.io","a@X.IO","junk"]})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->getValue<int>("creditsUsed"), 3);
    const auto results = body->getArray("results");
    ASSERT_EQ(results->size(), 4u);
    std::set<std::string> contextIds;
    const std::vector<std::string> expected{"a@x.io", "b@x.io", "a@X.IO", "junk"};
    for (unsigned i = 0; i < results->size(); ++i) {
        const auto entry = results->getObject(i);
        EXPECT_EQ(entry->getValue<std::string>("email"), expected[i]);
        contextIds.insert(entry->getValue<std::string>("contextId"));
        const auto result = entry->getObject("result");
        for (const char* field :
             {"syntax", "mx", "mailbox", "score", "classifier", "description", "smtpResponse"}) {
            EXPECT_TRUE(result->has(field)) << field;
        }
    }
    EXPECT_EQ(contextIds.size(), 4u);
    // The seven contract fields come first, in the order of API.md.
    EXPECT_EQ(r.body.find(R"("result":{"syntax":)") != std::string::npos, true) << r.body;
}

}  // namespace
}  // namespace mailsift::http::testing
