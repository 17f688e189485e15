// Auth, the error format and status codes, body limits, and 500s that do not leak.
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <iterator>
#include <stdexcept>

#include "http/http_error.h"
#include "http/json_body.h"
#include "test_server.h"

namespace mailsift::http::testing {
namespace {

constexpr const char* kJobs = "/v1/email/validate/job";

void addTestRoutes(Router& router) {
    router.add("POST", "/test/echo-size", [](RequestContext& ctx) {
        const std::string body{std::istreambuf_iterator<char>(ctx.body()),
                               std::istreambuf_iterator<char>()};
        Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
        out->set("size", static_cast<std::int64_t>(body.size()));
        ctx.sendJson(200, out);
    });
    router.add("POST", "/test/json", [](RequestContext& ctx) {
        const auto object = parseJsonObjectBody(ctx.body());
        ctx.sendJson(200, object);
    });
    router.add("GET", "/test/boom", [](RequestContext&) {
        throw std::runtime_error("connection to mysql://app:hunter2@db failed at row 17");
    });
    router.add("GET", "/test/limited", [](RequestContext&) {
        throw HttpError(429, "Too many requests; retry after 7 seconds.")
            .withHeader("Retry-After", "7");
    });
    router.add("GET", "/test/silent", [](RequestContext&) {});
    router.add("GET", "/test/query",
               [](RequestContext& ctx) {
                   Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
                   out->set("filters",
                            static_cast<std::int64_t>(ctx.query().all("filters").size()));
                   ctx.sendJson(200, out);
               },
               {.requireAuth = false});
}

class ServerErrorsTest : public ::testing::Test {
  protected:
    ServerErrorsTest() : server_(testHttpConfig(), addTestRoutes), key_(server_.issueKey("acme")) {}

    RequestSpec authed(std::string method, std::string uri) {
        RequestSpec spec;
        spec.method = std::move(method);
        spec.uri = std::move(uri);
        spec.headers.emplace_back("Authorization", "Bearer " + key_);
        return spec;
    }

    TestServer server_;
    std::string key_;
};

TEST_F(ServerErrorsTest, MissingKeyIs401WithChallenge) {
    const HttpResult result = server_.get(kJobs);
    EXPECT_EQ(result.status, 401);
    EXPECT_EQ(result.body, R"({"error":"Unauthorized"})");
    EXPECT_EQ(result.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(result.header("Content-Type"), "application/json");
}

TEST_F(ServerErrorsTest, WrongSchemeWrongKeyAndRevokedKeyAre401) {
    RequestSpec basic = authed("GET", kJobs);
    basic.headers[0].second = "Basic " + key_;
    EXPECT_EQ(server_.send(basic).status, 401);

    std::string forged = key_;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(server_.get(kJobs, forged).status, 401);
    EXPECT_EQ(server_.get(kJobs, "garbage").status, 401);

    const std::string other = server_.issueKey("acme");
    EXPECT_EQ(server_.get(kJobs, other).status, 200);
    const auto record = server_.store().findApiKey(other.substr(4, 12));
    ASSERT_TRUE(record.has_value());
    server_.store().revokeApiKey(record->id, std::chrono::system_clock::now());
    const HttpResult revoked = server_.get(kJobs, other);
    EXPECT_EQ(revoked.status, 401);
    EXPECT_EQ(revoked.body, R"({"error":"Unauthorized"})");
    EXPECT_EQ(server_.get(kJobs, key_).status, 200);
}

TEST_F(ServerErrorsTest, UnknownPathIs404) {
    const HttpResult result = server_.get("/v2/nothing", key_);
    EXPECT_EQ(result.status, 404);
    EXPECT_EQ(result.body, R"({"error":"Not found"})");
}

TEST_F(ServerErrorsTest, WrongMethodIs405WithAllow) {
    const HttpResult result = server_.send(authed("DELETE", "/healthz"));
    EXPECT_EQ(result.status, 405);
    EXPECT_EQ(result.header("Allow"), "GET, HEAD");
    EXPECT_NE(result.body.find(R"({"error":"The method DELETE is not allowed)"), std::string::npos)
        << result.body;
}

TEST_F(ServerErrorsTest, StatusLineCarriesTheMatchingReason) {
    Poco::Net::HTTPClientSession session("127.0.0.1", server_.port());
    Poco::Net::HTTPRequest request("GET", kJobs, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_UNAUTHORIZED);
    EXPECT_EQ(response.getReason(), "Unauthorized");
}

TEST_F(ServerErrorsTest, HeadIsAnsweredLikeGetWithoutABody) {
    RequestSpec spec;
    spec.method = "HEAD";
    spec.uri = "/healthz";
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "");
}

TEST_F(ServerErrorsTest, BodyWithinTheLimitIsRead) {
    RequestSpec spec = authed("POST", "/test/echo-size");
    spec.body = std::string(1024, 'x');
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"({"size":1024})");
}

TEST_F(ServerErrorsTest, ContentLengthOverTheLimitIs413BeforeReading) {
    RequestSpec spec = authed("POST", "/test/echo-size");
    spec.headers.emplace_back("Content-Length", "1000000");  // the body itself is never sent
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 413);
    EXPECT_EQ(result.body,
              R"({"error":"The request body is larger than the limit of 1024 bytes."})");
}

TEST_F(ServerErrorsTest, ChunkedBodyOverTheLimitIs413) {
    RequestSpec spec = authed("POST", "/test/echo-size");
    spec.chunked = true;
    spec.body = std::string(1500, 'y');
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 413);
    EXPECT_EQ(result.body,
              R"({"error":"The request body is larger than the limit of 1024 bytes."})");
}

TEST_F(ServerErrorsTest, ChunkedBodyWithinTheLimitIsRead) {
    RequestSpec spec = authed("POST", "/test/echo-size");
    spec.chunked = true;
    spec.body = std::string(700, 'y');
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"({"size":700})");
}

TEST_F(ServerErrorsTest, InvalidJsonIs400WithASentence) {
    RequestSpec spec = authed("POST", "/test/json");
    spec.body = R"({"emails": [)";
    const HttpResult result = server_.send(spec);
    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.body.rfind(R"({"error":"The request body is not valid JSON: )", 0), 0u)
        << result.body;
}

TEST_F(ServerErrorsTest, UnexpectedExceptionIs500WithoutDetails) {
    const HttpResult result = server_.send(authed("GET", "/test/boom"));
    EXPECT_EQ(result.status, 500);
    EXPECT_EQ(result.body, R"({"error":"Internal server error"})");
    server_.awaitMetrics(R"(route="/test/boom",status="500"})");
    EXPECT_NE(server_.logs().find("row 17"), std::string::npos) << server_.logs();
    EXPECT_EQ(server_.logs().find("hunter2"), std::string::npos) << server_.logs();
}

TEST_F(ServerErrorsTest, HandlerThatNeverAnswersIs500) {
    const HttpResult result = server_.send(authed("GET", "/test/silent"));
    EXPECT_EQ(result.status, 500);
    EXPECT_EQ(result.body, R"({"error":"Internal server error"})");
}

TEST_F(ServerErrorsTest, HttpErrorCarriesStatusSentenceAndHeaders) {
    const HttpResult result = server_.send(authed("GET", "/test/limited"));
    EXPECT_EQ(result.status, 429);
    EXPECT_EQ(result.header("Retry-After"), "7");
    EXPECT_EQ(result.body, R"({"error":"Too many requests; retry after 7 seconds."})");
}

TEST_F(ServerErrorsTest, RepeatedQueryKeysReachTheHandler) {
    const HttpResult result = server_.get("/test/query?filters=valid&filters=risky&x=1");
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"({"filters":2})");
}

}  // namespace
}  // namespace mailsift::http::testing
