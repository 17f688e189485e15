// Two mailsift-server processes on one MariaDB database finish several jobs; every event reaches
// the receiver exactly once (the store's claims keep the dispatchers of both apart).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <map>

#include "integration/webhooks_environment.h"
#include "webhook/fake_webhook_receiver.h"

using namespace mailsift::testing;
using mailsift::fakes::FakeWebhookReceiver;
using Ms = std::chrono::milliseconds;

namespace {

std::string freshDatabaseUrl(const std::string& suffix) {
    const char* base = std::getenv("MAILSIFT_TEST_MYSQL_URL");
    if (base == nullptr || *base == '\0') {
        ADD_FAILURE() << "MAILSIFT_TEST_MYSQL_URL is not set: run through ctest (mariadb fixture)";
        return "";
    }
    std::string url(base);
    const auto slash = url.rfind('/');
    const std::string db = "mailsift_wh_" + std::to_string(getpid()) + "_" + suffix;
    const std::string cred = url.substr(8, url.find('@') - 8);
    const std::string hostPort = url.substr(url.find('@') + 1, slash - url.find('@') - 1);
    const auto made = runCommand(
        "/usr/bin/mariadb", {"--no-defaults", "-h", hostPort.substr(0, hostPort.find(':')), "-P",
                             hostPort.substr(hostPort.find(':') + 1), "-u",
                             cred.substr(0, cred.find(':')), "-p" + cred.substr(cred.find(':') + 1),
                             "-e", "DROP DATABASE IF EXISTS " + db + "; CREATE DATABASE " + db});
    EXPECT_EQ(made.exitCode, 0) << made.err;
    return url.substr(0, slash + 1) + db;
}

TEST(WebhooksMysql, TwoServersDeliverEachEventExactlyOnce) {
    const std::string url = freshDatabaseUrl("twice");
    ASSERT_FALSE(url.empty());
    FakeWebhookReceiver receiver;
    // A little slowness in the receiver widens the window in which both dispatchers look at the
    // same due deliveries.
    receiver.setDefault({200, Ms(30)});
    ServerFixture fx({.storeUrl = url, .extraYaml = webhookServerYaml(true)});
    auto first = fx.serve();
    const std::string key = fx.bootstrapKey();
    ASSERT_FALSE(key.empty()) << first->err();
    auto second = fx.serve();
    const auto a = fx.client(*first);
    const auto b = fx.client(*second);

    createWebhook(a, key, receiver.url("/one"),
                  R"(["validation.job.completed","validation.job.failed"])");
    createWebhook(b, key, receiver.url("/two"), R"(["validation.job.completed"])");
    constexpr int kJobs = 12;
    std::set<std::int64_t> jobs;
    for (int i = 0; i < kJobs; ++i) {
        const auto& client = i % 2 == 0 ? a : b;
        jobs.insert(createInputJob(client, key,
                                   "u" + std::to_string(i) + "@example.com,v" + std::to_string(i) +
                                       "@example.org,w" + std::to_string(i) + "@example.net"));
    }
    ASSERT_EQ(jobs.size(), static_cast<std::size_t>(kJobs));
    ASSERT_TRUE(receiver.waitForRequests(2 * kJobs, Ms(60000)))
        << receiver.requests().size() << "\n"
        << first->err() << second->err();
    std::this_thread::sleep_for(Ms(1500));  // anything sent twice would arrive by now

    const auto requests = receiver.requests();
    EXPECT_EQ(requests.size(), static_cast<std::size_t>(2 * kJobs));
    std::map<std::string, int> byId;
    std::map<std::pair<std::string, std::int64_t>, int> byPathAndJob;
    for (const auto& r : requests) {
        ++byId[r.headers.at("x-webhook-id")];
        const auto body = parseObject(r.body);
        ++byPathAndJob[{r.path, body->getValue<std::int64_t>("jobId")}];
    }
    EXPECT_EQ(byId.size(), static_cast<std::size_t>(2 * kJobs));
    for (const auto& [id, count] : byId) {
        EXPECT_EQ(count, 1) << id;
    }
    for (const auto job : jobs) {
        EXPECT_EQ((byPathAndJob[{"/one", job}]), 1) << job;
        EXPECT_EQ((byPathAndJob[{"/two", job}]), 1) << job;
    }
    const double delivered =
        metricValue(a, R"(mailsift_webhook_deliveries_total{outcome="delivered"})") +
        metricValue(b, R"(mailsift_webhook_deliveries_total{outcome="delivered"})");
    EXPECT_EQ(delivered, 2 * kJobs);
    EXPECT_EQ(first->stop(SIGTERM), 0);
    EXPECT_EQ(second->stop(SIGTERM), 0);
}

}  // namespace
