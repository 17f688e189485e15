#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mailsift::http {
namespace {

void noop(RequestContext&) {}

TEST(RouterTest, MatchesLiteralPaths) {
    Router router;
    router.add("GET", "/healthz", noop, {.requireAuth = false});
    const RouteMatch match = router.match("GET", "/healthz");
    ASSERT_EQ(match.kind, RouteMatch::Kind::found);
    EXPECT_EQ(match.route->pattern, "/healthz");
    EXPECT_FALSE(match.route->options.requireAuth);
    EXPECT_TRUE(match.params.empty());
}

TEST(RouterTest, ExtractsAndDecodesPathParams) {
    Router router;
    router.add("GET", "/v1/things/{name}/parts/{part}", noop);
    const RouteMatch match = router.match("GET", "/v1/things/a%20b/parts/7");
    ASSERT_EQ(match.kind, RouteMatch::Kind::found);
    ASSERT_EQ(match.params.size(), 2u);
    EXPECT_EQ(match.params[0], (std::pair<std::string, std::string>{"name", "a b"}));
    EXPECT_EQ(match.params[1], (std::pair<std::string, std::string>{"part", "7"}));
    EXPECT_TRUE(match.route->options.requireAuth);
}

TEST(RouterTest, EncodedSlashStaysInsideOneParam) {
    Router router;
    router.add("GET", "/v1/things/{name}", noop);
    const RouteMatch match = router.match("GET", "/v1/things/a%2Fb");
    ASSERT_EQ(match.kind, RouteMatch::Kind::found);
    EXPECT_EQ(match.params[0].second, "a/b");
}

TEST(RouterTest, IntegerParamsOnlyMatchPositiveIds) {
    Router router;
    router.add("GET", "/v1/email/validate/job/{id:int}", noop);
    const RouteMatch good = router.match("GET", "/v1/email/validate/job/42");
    ASSERT_EQ(good.kind, RouteMatch::Kind::found);
    EXPECT_EQ(good.route->pattern, "/v1/email/validate/job/{id}");
    EXPECT_EQ(good.params[0].second, "42");
    for (const char* bad :
         {"/v1/email/validate/job/abc", "/v1/email/validate/job/-1", "/v1/email/validate/job/0",
          "/v1/email/validate/job/+4", "/v1/email/validate/job/99999999999999999999",
          "/v1/email/validate/job/"}) {
        EXPECT_EQ(router.match("GET", bad).kind, RouteMatch::Kind::notFound) << bad;
    }
}

TEST(RouterTest, UnknownPathsAreNotFound) {
    Router router;
    router.add("GET", "/v1/email/validate/job", noop);
    EXPECT_EQ(router.match("GET", "/v1/email/validate").kind, RouteMatch::Kind::notFound);
    EXPECT_EQ(router.match("GET", "/v1/email/validate/job/").kind, RouteMatch::Kind::notFound);
    EXPECT_EQ(router.match("GET", "/v1/email/validate/job/1/x").kind, RouteMatch::Kind::notFound);
    EXPECT_EQ(router.match("GET", "").kind, RouteMatch::Kind::notFound);
    EXPECT_EQ(router.match("GET", "relative").kind, RouteMatch::Kind::notFound);
}

TEST(RouterTest, WrongMethodOnKnownPathListsAllowedMethods) {
    Router router;
    router.add("GET", "/v1/webhooks/{id}", noop);
    router.add("PUT", "/v1/webhooks/{id}", noop);
    router.add("DELETE", "/v1/webhooks/{id}", noop);
    const RouteMatch match = router.match("POST", "/v1/webhooks/3");
    ASSERT_EQ(match.kind, RouteMatch::Kind::methodNotAllowed);
    EXPECT_EQ(match.allowed, (std::vector<std::string>{"DELETE", "GET", "HEAD", "PUT"}));
    EXPECT_EQ(match.route, nullptr);
}

TEST(RouterTest, HeadFallsBackToGet) {
    Router router;
    router.add("GET", "/healthz", noop, {.requireAuth = false});
    router.add("POST", "/upload", noop);
    const RouteMatch head = router.match("HEAD", "/healthz");
    ASSERT_EQ(head.kind, RouteMatch::Kind::found);
    EXPECT_EQ(head.route->method, "GET");
    const RouteMatch headOnPost = router.match("HEAD", "/upload");
    ASSERT_EQ(headOnPost.kind, RouteMatch::Kind::methodNotAllowed);
    EXPECT_EQ(headOnPost.allowed, (std::vector<std::string>{"POST"}));
}

TEST(RouterTest, LiteralSegmentsWinOverParams) {
    Router router;
    int hit = 0;
    router.add("GET", "/v1/things/{id}", [&](RequestContext&) { hit = 1; });
    router.add("GET", "/v1/things/special", [&](RequestContext&) { hit = 2; });
    EXPECT_EQ(router.match("GET", "/v1/things/special").route->pattern, "/v1/things/special");
    EXPECT_EQ(router.match("GET", "/v1/things/other").route->pattern, "/v1/things/{id}");
}

TEST(RouterTest, RejectsMalformedOrDuplicateRoutes) {
    Router router;
    router.add("GET", "/a/{id}", noop);
    EXPECT_THROW(router.add("GET", "/a/{id}", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/{id:int}", noop), std::invalid_argument);  // same display
    EXPECT_THROW(router.add("GET", "no-slash", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/x{id}", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/a/{id:float}", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/b/{id}/{id}", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/b/{}", noop), std::invalid_argument);
    EXPECT_THROW(router.add("GET", "/c", Handler{}), std::invalid_argument);
    EXPECT_NO_THROW(router.add("POST", "/a/{id}", noop));
}

TEST(ParseIdTest, AcceptsOnlyPositiveDecimalInt64) {
    EXPECT_EQ(parseId("1"), 1);
    EXPECT_EQ(parseId("9223372036854775807"), 9223372036854775807LL);
    EXPECT_EQ(parseId("9223372036854775808"), std::nullopt);
    EXPECT_EQ(parseId("0"), std::nullopt);
    EXPECT_EQ(parseId(""), std::nullopt);
    EXPECT_EQ(parseId("12a"), std::nullopt);
    EXPECT_EQ(parseId(" 1"), std::nullopt);
    EXPECT_EQ(parseId("-5"), std::nullopt);
}

}  // namespace
}  // namespace mailsift::http
