// The real mailsift-server serves the dashboard of the build (web/ copied to share/mailsift/web
// beside bin/) at / without any web_root in its config, and an http.web_root relative to the config
// file when one is set.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(DashboardRouteTest, ServesTheBuiltDashboardByDefault) {
    ServerFixture fixture;
    auto server = fixture.serve();
    const HttpClient client = fixture.client(*server);
    const std::filesystem::path web = std::filesystem::path(MAILSIFT_SOURCE_DIR) / "web";

    const HttpResponse index = client.get("/");
    ASSERT_EQ(index.status, 200) << index.body;
    EXPECT_EQ(index.body, readFile(web / "index.html"));
    EXPECT_EQ(index.headers.at("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(index.headers.at("content-security-policy").find("script-src 'self'"),
              std::string::npos);
    EXPECT_EQ(index.headers.count("set-cookie"), 0U);

    // Every file the page names, and every file of web/assets, is served as it is in the source.
    const std::regex reference(R"re((?:src|href)="/assets/([A-Za-z0-9_.-]+)")re");
    int referenced = 0;
    for (std::sregex_iterator it(index.body.begin(), index.body.end(), reference), end; it != end;
         ++it) {
        EXPECT_EQ(client.get("/assets/" + (*it)[1].str()).status, 200) << (*it)[1];
        ++referenced;
    }
    EXPECT_GE(referenced, 3);  // the stylesheet, the icon, the entry module
    int assets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(web / "assets")) {
        const std::string name = entry.path().filename().string();
        const HttpResponse file = client.get("/assets/" + name);
        EXPECT_EQ(file.status, 200) << name;
        EXPECT_EQ(file.body, readFile(entry.path())) << name;
        EXPECT_EQ(file.headers.count("etag"), 1U) << name;
        ++assets;
    }
    EXPECT_GE(assets, 5);
    EXPECT_EQ(client.get("/assets/main.js").headers["content-type"],
              "text/javascript; charset=utf-8");
    EXPECT_EQ(client.get("/assets/..%2f..%2fbin%2fmailsift-server").status, 404);
    EXPECT_EQ(client.get("/v1/email/validate/job").status, 401);
}

TEST(DashboardRouteTest, WebRootIsTakenRelativeToTheConfigFile) {
    ServerFixture fixture;  // for its temp folder
    std::filesystem::create_directories(fixture.dir().path() + "/site/assets");
    fixture.dir().write("site/index.html", "<!doctype html><p>custom</p>");
    fixture.dir().write("site/assets/main.js", "console.log('custom');");
    const std::string config = fixture.dir().write(
        "web.yaml",
        "http:\n  address: 127.0.0.1\n  port: 0\n  web_root: site\nstore:\n  url: 'sqlite://" +
            fixture.dir().file("web.db") + "'\n");
    ServerProcess server(MAILSIFT_SERVER_BINARY, {"serve", "--config", config});
    server.start();
    const HttpClient client("127.0.0.1", server.port());
    EXPECT_EQ(client.get("/").body, "<!doctype html><p>custom</p>");
    EXPECT_EQ(client.get("/assets/main.js").body, "console.log('custom');");
    EXPECT_NE(server.err().find("dashboard: serving " + fixture.dir().path() + "/site at /"),
              std::string::npos)
        << server.err();
}

TEST(DashboardRouteTest, AMissingWebRootIsLoggedAndTheApiStillWorks) {
    ServerFixture fixture;
    const std::string config = fixture.dir().write(
        "web.yaml",
        "http:\n  address: 127.0.0.1\n  port: 0\n  web_root: nowhere\nstore:\n  url: 'sqlite://" +
            fixture.dir().file("web.db") + "'\n");
    ServerProcess server(MAILSIFT_SERVER_BINARY, {"serve", "--config", config});
    server.start();
    const HttpClient client("127.0.0.1", server.port());
    EXPECT_EQ(client.get("/").status, 404);
    EXPECT_EQ(client.get("/healthz").status, 200);
    EXPECT_NE(server.err().find("has no index.html, so / answers 404"), std::string::npos)
        << server.err();
}

}  // namespace
