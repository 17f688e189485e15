// The server on MariaDB: the same first-start path as on SQLite, against the test MariaDB.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

/// The test MariaDB's URL with a database of this test's own (the user may create mailsift_*).
std::string freshDatabaseUrl(const std::string& suffix) {
    const char* base = std::getenv("MAILSIFT_TEST_MYSQL_URL");
    if (base == nullptr || *base == '\0') {
        ADD_FAILURE() << "MAILSIFT_TEST_MYSQL_URL is not set: run through ctest (mariadb fixture)";
        return "";
    }
    std::string url(base);
    const auto slash = url.rfind('/');
    const std::string db = "mailsift_it_" + std::to_string(getpid()) + "_" + suffix;
    const std::string cred = url.substr(8, url.find('@') - 8);  // after mysql://
    const std::string hostPort = url.substr(url.find('@') + 1, slash - url.find('@') - 1);
    const std::string user = cred.substr(0, cred.find(':'));
    const std::string pass = cred.substr(cred.find(':') + 1);
    const std::string host = hostPort.substr(0, hostPort.find(':'));
    const std::string port = hostPort.substr(hostPort.find(':') + 1);
    const auto made = runCommand(
        "/usr/bin/mariadb", {"--no-defaults", "-h", host, "-P", port, "-u", user, "-p" + pass, "-e",
                             "DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db});
    EXPECT_EQ(made.exitCode, 0) << made.err;
    return url.substr(0, slash + 1) + db;
}

}  // namespace

TEST(ServerMysql, FirstStartOnMariaDbServesJobsAndKeys) {
    const std::string url = freshDatabaseUrl("first");
    ASSERT_FALSE(url.empty());
    ServerFixture fx({.storeUrl = url, .extraYaml = ""});
    auto server = fx.serve();
    ASSERT_FALSE(fx.bootstrapKey().empty()) << server->out() << server->err();
    auto client = fx.client(*server);
    EXPECT_EQ(client.get("/v1/email/validate/job", fx.bootstrapKey()).body, "[]");
    EXPECT_EQ(client.get("/v1/email/validate/job").status, 401);
    EXPECT_EQ(client.get("/readyz").status, 200);
    const auto created = fx.run({"keys", "create", "--account", "second"});
    ASSERT_EQ(created.exitCode, 0) << created.err;
    EXPECT_EQ(client.get("/v1/email/validate/job", findKey(created.out)).status, 200);
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->err();
}
