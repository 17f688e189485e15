// The dashboard's static routes over real sockets: content types, security headers, ETag
// revalidation, HEAD, 404s, and requests that try to climb out of the web folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "http/dashboard_handlers.h"
#include "test_server.h"

namespace mailsift::http::testing {
namespace {

const std::string kSecret = "top secret: not for the web";

/// A temp folder holding web/ (index.html, assets/...) and, beside it, files that must never be
/// served.
class WebFolder {
  public:
    WebFolder() {
        base_ = std::filesystem::temp_directory_path() /
                ("mailsift-web-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
        std::filesystem::create_directories(base_ / "web" / "assets" / "sub");
        write("web/index.html", "<!doctype html><title>mailsift</title>");
        write("web/assets/main.js", "export const x = 1;\n");
        write("web/assets/app.css", "body { margin: 0; }\n");
        write("web/assets/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        write("web/assets/sub/nested.js", kSecret);
        write("web/assets/.hidden.js", kSecret);
        write("web/assets/tool.exe", kSecret);
        write("web/notes.txt", kSecret);
        write("secret.txt", kSecret);
        write("secret.js", kSecret);
    }
    ~WebFolder() {
        std::error_code ec;
        std::filesystem::remove_all(base_, ec);
    }
    WebFolder(const WebFolder&) = delete;
    WebFolder& operator=(const WebFolder&) = delete;

    void write(const std::string& relative, const std::string& content) const {
        std::ofstream(base_ / relative, std::ios::binary) << content;
    }
    std::string root() const { return (base_ / "web").string(); }

  private:
    static inline int counter_ = 0;
    std::filesystem::path base_;
};

RequestSpec request(const std::string& method, const std::string& uri,
                    const std::string& ifNoneMatch = "") {
    RequestSpec spec;
    spec.method = method;
    spec.uri = uri;
    if (!ifNoneMatch.empty())
        spec.headers.emplace_back("If-None-Match", ifNoneMatch);
    return spec;
}

config::HttpConfig withWebRoot(const std::string& root) {
    config::HttpConfig config = testHttpConfig();
    config.webRoot = root;
    return config;
}

TEST(DashboardRoutesTest, ServesIndexAtTheRootWithSecurityHeaders) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    const HttpResult index = server.get("/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, "<!doctype html><title>mailsift</title>");
    EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(index.header("Content-Security-Policy"), kDashboardContentSecurityPolicy);
    EXPECT_NE(index.header("Content-Security-Policy").find("script-src 'self';"),
              std::string::npos);
    EXPECT_EQ(index.header("Content-Security-Policy").find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(index.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(index.header("X-Frame-Options"), "DENY");
    EXPECT_EQ(index.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(index.header("Cache-Control"), "no-cache");
    EXPECT_FALSE(index.header("ETag").empty());
    EXPECT_EQ(index.headers.count("Set-Cookie"), 0U);
    EXPECT_EQ(index.headers.count("Access-Control-Allow-Origin"), 0U);

    EXPECT_EQ(server.get("/?next=%2Fjobs").body, index.body);  // a query string changes nothing
}

TEST(DashboardRoutesTest, ServesAssetsWithTheirContentTypes) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    const HttpResult script = server.get("/assets/main.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.body, "export const x = 1;\n");
    EXPECT_EQ(script.header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(script.header("Content-Security-Policy"), kDashboardContentSecurityPolicy);
    EXPECT_EQ(server.get("/assets/app.css").header("Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(server.get("/assets/favicon.svg").header("Content-Type"), "image/svg+xml");
}

TEST(DashboardRoutesTest, AMatchingEtagAnswersNotModified) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    const std::string etag = server.get("/assets/main.js").header("ETag");
    ASSERT_FALSE(etag.empty());

    for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
        const HttpResult cached = server.send(request("GET", "/assets/main.js", header));
        EXPECT_EQ(cached.status, 304) << header;
        EXPECT_EQ(cached.body, "") << header;
        EXPECT_EQ(cached.header("ETag"), etag) << header;
    }
    EXPECT_EQ(server.send(request("GET", "/assets/main.js", "\"other\"")).status, 200);

    web.write("web/assets/main.js", "export const x = 2; // changed\n");
    const HttpResult changed = server.send(request("GET", "/assets/main.js", etag));
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body, "export const x = 2; // changed\n");
    EXPECT_NE(changed.header("ETag"), etag);
}

TEST(DashboardRoutesTest, HeadSendsTheHeadersOnly) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    const HttpResult head = server.send(request("HEAD", "/assets/main.js"));
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.body, "");
    EXPECT_EQ(head.header("Content-Length"), "20");
    EXPECT_EQ(head.header("Content-Type"), "text/javascript; charset=utf-8");
}

TEST(DashboardRoutesTest, NothingOutsideTheFolderOrOffTheListIsServed) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    for (const std::string uri : {
             "/assets/../secret.txt",
             "/assets/../../secret.txt",
             "/assets/..%2Fsecret.txt",
             "/assets/..%2f..%2fsecret.js",
             "/assets/%2e%2e%2f%2e%2e%2fsecret.js",
             "/assets/%2E%2E/secret.js",
             "/assets/..%5c..%5csecret.js",
             "/assets/%2e%2e",
             "/assets/..",
             "/assets/.hidden.js",
             "/assets/sub/nested.js",
             "/assets/sub%2Fnested.js",
             "/assets/tool.exe",
             "/assets/main.js%00.txt",
             "/assets/",
             "/assets",
             "/notes.txt",
             "/index.html",
             "/../secret.txt",
             "/..%2fsecret.txt",
             "//secret.txt",
             "/web/index.html",
         }) {
        const HttpResult result = server.get(uri);
        EXPECT_EQ(result.status, 404) << uri;
        EXPECT_EQ(result.body.find("secret"), std::string::npos) << uri;
    }
}

TEST(DashboardRoutesTest, TheApiIsUnchangedBesideIt) {
    WebFolder web;
    TestServer server(withWebRoot(web.root()));
    EXPECT_EQ(server.get("/v1/email/validate/job").status, 401);
    EXPECT_EQ(server.get("/v1/email/validate/job", server.issueKey("acme")).body, "[]");
    EXPECT_EQ(server.get("/healthz").status, 200);
    EXPECT_EQ(server.get("/healthz").header("Content-Security-Policy"), "");
    RequestSpec post = request("POST", "/");
    post.body = "x";
    const HttpResult refused = server.send(post);
    EXPECT_EQ(refused.status, 405);
    EXPECT_EQ(refused.header("Allow"), "GET, HEAD");
}

TEST(DashboardRoutesTest, WithoutTheFilesTheRootSaysSoAndTheApiWorks) {
    TestServer server;  // no web root
    const HttpResult index = server.get("/");
    EXPECT_EQ(index.status, 404);
    EXPECT_NE(index.body.find("The dashboard is not installed on this server"), std::string::npos)
        << index.body;
    EXPECT_EQ(server.get("/assets/main.js").status, 404);

    WebFolder web;
    TestServer missing(withWebRoot(web.root() + "/nope"));
    EXPECT_EQ(missing.get("/").status, 404);
    EXPECT_EQ(missing.get("/healthz").status, 200);
}

}  // namespace
}  // namespace mailsift::http::testing
