// Webhooks end to end through the real mailsift-server and a real HTTP receiver on loopback:
// the /v1/webhooks routes, signed delivery of a finished job, retries while the receiver is down
// or answers 5xx, a slow receiver timing out, giving up, a restart between attempts, and a
// private target refused by policy.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <set>
#include <string>

#include "integration/webhooks_environment.h"
#include "webhook/fake_webhook_receiver.h"

using namespace mailsift::testing;
using mailsift::fakes::FakeWebhookReceiver;
using Ms = std::chrono::milliseconds;

namespace {

const std::string kDelivered = R"(mailsift_webhook_deliveries_total{outcome="delivered"})";

class WebhooksTest : public ::testing::Test {
  protected:
    void startServer(bool allowPrivate = true, int timeoutMs = 1000, int maxAttempts = 5) {
        fixture_ = std::make_unique<ServerFixture>(ServerSetup{
            .storeUrl = "", .extraYaml = webhookServerYaml(allowPrivate, timeoutMs, maxAttempts)});
        server_ = fixture_->serve();
        key_ = fixture_->bootstrapKey();
        ASSERT_FALSE(key_.empty()) << server_->err();
    }

    HttpClient client() const { return fixture_->client(*server_); }

    /// The subscription's only delivery, once `done` holds for it (nullptr on timeout).
    Poco::JSON::Object::Ptr waitForDelivery(std::int64_t webhookId,
                                            const std::function<bool(Poco::JSON::Object&)>& done,
                                            Ms timeout = Ms(30000)) {
        Poco::JSON::Object::Ptr found;
        waitUntil(
            [&] {
                const auto list = deliveries(client(), key_, webhookId);
                if (list->size() != 1) {
                    return false;
                }
                auto d = list->getObject(0);
                if (!done(*d)) {
                    return false;
                }
                found = d;
                return true;
            },
            timeout);
        return found;
    }

    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
    FakeWebhookReceiver receiver_;
};

TEST_F(WebhooksTest, RoutesCreateListUpdateDeleteAndValidate) {
    startServer();
    const auto c = client();
    const auto created = createWebhook(c, key_, "https://hooks.example.test/a",
                                       R"(["validation.job.completed","validation.job.failed"])");
    const auto id = created->getValue<std::int64_t>("id");
    const std::string secret = created->getValue<std::string>("secret");
    EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
    EXPECT_EQ(created->getValue<std::string>("url"), "https://hooks.example.test/a");
    EXPECT_TRUE(created->getValue<bool>("active"));
    EXPECT_EQ(created->getArray("events")->size(), 2u);
    EXPECT_TRUE(created->has("createdAt"));
    EXPECT_TRUE(created->has("updatedAt"));

    const auto list = c.get("/v1/webhooks", key_);
    EXPECT_EQ(list.status, 200);
    EXPECT_EQ(list.body.find("secret"), std::string::npos) << list.body;
    EXPECT_EQ(list.body.find(secret), std::string::npos);
    EXPECT_NE(list.body.find("hooks.example.test"), std::string::npos);

    const auto updated = c.request("PUT", "/v1/webhooks/" + std::to_string(id), key_,
                                   R"({"active":false,"url":"http://other.example.test/b"})");
    ASSERT_EQ(updated.status, 200) << updated.body;
    const auto u = parseObject(updated.body);
    EXPECT_FALSE(u->getValue<bool>("active"));
    EXPECT_EQ(u->getValue<std::string>("url"), "http://other.example.test/b");
    EXPECT_EQ(u->getArray("events")->size(), 2u);
    EXPECT_FALSE(u->has("secret"));
    EXPECT_EQ(c.get("/v1/webhooks/" + std::to_string(id) + "/deliveries", key_).body, "[]");

    for (const std::string bad :
         {R"({"url":"ftp://x.test/","events":["validation.job.completed"]})",
          R"({"url":"x.test/hook","events":["validation.job.completed"]})",
          R"({"url":"https://x.test/","events":["validation.job.started"]})",
          R"({"url":"https://x.test/","events":[]})", R"({"url":"https://x.test/"})",
          R"({"events":["validation.job.completed"]})", R"({"url":42,"events":[1]})",
          R"({"url":"https://x.test/","events":["validation.job.completed"],"secret":"mine"})",
          R"([1,2])", "not json"}) {
        const auto response = c.request("POST", "/v1/webhooks", key_, bad);
        EXPECT_EQ(response.status, 400) << bad << " -> " << response.body;
        EXPECT_NE(response.body.find("\"error\""), std::string::npos);
    }
    EXPECT_EQ(c.request("PUT", "/v1/webhooks/" + std::to_string(id), key_, R"({"events":["nope"]})")
                  .status,
              400);
    EXPECT_EQ(
        c.request("PUT", "/v1/webhooks/" + std::to_string(id), key_, R"({"active":"yes"})").status,
        400);

    // Another account sees none of it.
    const auto other = fixture_->run({"keys", "create", "--account", "other"});
    ASSERT_EQ(other.exitCode, 0) << other.err;
    const std::string otherKey = findKey(other.out);
    EXPECT_EQ(c.get("/v1/webhooks", otherKey).body, "[]");
    const std::string path = "/v1/webhooks/" + std::to_string(id);
    EXPECT_EQ(c.request("PUT", path, otherKey, R"({"active":true})").status, 404);
    EXPECT_EQ(c.request("DELETE", path, otherKey).status, 404);
    EXPECT_EQ(c.get(path + "/deliveries", otherKey).status, 404);
    EXPECT_EQ(c.get("/v1/webhooks", "").status, 401);

    EXPECT_EQ(c.request("DELETE", path, key_).status, 200);
    EXPECT_EQ(c.request("DELETE", path, key_).status, 404);
    EXPECT_EQ(c.get("/v1/webhooks", key_).body, "[]");
    EXPECT_EQ(c.request("DELETE", "/v1/webhooks/abc", key_).status, 404);
}

TEST_F(WebhooksTest, AFinishedJobIsDeliveredSignedOnce) {
    startServer();
    const auto hook = createWebhook(client(), key_, receiver_.url());
    const auto hookId = hook->getValue<std::int64_t>("id");
    const std::string secret = hook->getValue<std::string>("secret");
    const auto jobId =
        createInputJob(client(), key_, "ann@example.com,bob@example.org,not-an-address");
    ASSERT_TRUE(receiver_.waitForRequests(1, Ms(30000))) << server_->err();
    const auto delivered = waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    });
    ASSERT_TRUE(delivered) << server_->err();
    EXPECT_EQ(delivered->getValue<int>("attempts"), 1);
    EXPECT_EQ(delivered->getValue<int>("lastStatus"), 200);
    EXPECT_EQ(delivered->getValue<std::int64_t>("jobId"), jobId);
    EXPECT_TRUE(delivered->isNull("nextAttemptAt"));

    const auto requests = receiver_.requests();
    ASSERT_EQ(requests.size(), 1u);
    const auto& r = requests[0];
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/hooks/mailsift");
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    EXPECT_EQ(r.headers.at("x-webhook-signature"), hmacSha256Hex(secret, r.body));
    EXPECT_NE(r.headers.at("x-webhook-signature"), hmacSha256Hex("whsec_wrong", r.body));
    EXPECT_FALSE(r.headers.at("x-webhook-id").empty());
    const auto sentAt = std::stoll(r.headers.at("x-webhook-timestamp"));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    EXPECT_LE(std::llabs(now - sentAt), 60);

    const auto body = parseObject(r.body);
    EXPECT_EQ(body->getValue<std::string>("event"), "validation.job.completed");
    EXPECT_EQ(body->getValue<std::int64_t>("jobId"), jobId);
    EXPECT_EQ(body->getValue<std::string>("state"), "done");
    EXPECT_EQ(body->getValue<std::int64_t>("emailCount"), 3);
    EXPECT_EQ(body->getValue<std::int64_t>("undeliverableCount"), 1);
    EXPECT_FALSE(body->isNull("finishedAt"));
    EXPECT_EQ(body->getObject("job")->getValue<std::string>("state"), "done");
    // The job object in the event is the one the API shows.
    const auto job =
        parseObject(client().get("/v1/email/validate/job/" + std::to_string(jobId), key_).body);
    EXPECT_EQ(body->getObject("job")->getValue<std::string>("finishedAt"),
              job->getValue<std::string>("finishedAt"));
    EXPECT_EQ(metricValue(client(), kDelivered), 1);

    std::this_thread::sleep_for(Ms(500));
    EXPECT_EQ(receiver_.requests().size(), 1u) << "delivered exactly once";
}

TEST_F(WebhooksTest, ReceiverDownThenUpIsDelivered) {
    startServer(true, 1000, 10);  // retries 0.3, 0.6, 1.2, 2.4, 4.8, 5, 5 ... s: time to come up
    receiver_.down();
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    const auto failing = waitForDelivery(
        hookId, [](Poco::JSON::Object& d) { return d.getValue<int>("attempts") >= 2; });
    ASSERT_TRUE(failing) << server_->err();
    EXPECT_EQ(failing->getValue<std::string>("state"), "pending");
    EXPECT_TRUE(failing->isNull("lastStatus"));
    EXPECT_FALSE(failing->isNull("lastError"));
    EXPECT_FALSE(failing->isNull("nextAttemptAt"));
    // The second attempt was claimed, so the first one's failure is counted already.
    EXPECT_GE(metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="failed"})"), 1);

    receiver_.up();
    ASSERT_TRUE(receiver_.waitForRequests(1, Ms(30000)));
    ASSERT_TRUE(waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    }));
    EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_F(WebhooksTest, ServerErrorsAreRetriedThenDelivered) {
    startServer();
    receiver_.script({{500, Ms(0)}, {503, Ms(0)}});
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    const auto done = waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    });
    ASSERT_TRUE(done) << server_->err();
    EXPECT_EQ(done->getValue<int>("attempts"), 3);
    const auto requests = receiver_.requests();
    ASSERT_EQ(requests.size(), 3u);
    EXPECT_EQ(requests[0].answeredWith, 500);
    EXPECT_EQ(requests[2].answeredWith, 200);
    // Every attempt carries the same delivery id and body.
    EXPECT_EQ(requests[0].headers.at("x-webhook-id"), requests[2].headers.at("x-webhook-id"));
    EXPECT_EQ(requests[0].body, requests[2].body);
    EXPECT_NE(server_->err().find("answered 500"), std::string::npos);
}

TEST_F(WebhooksTest, ASlowReceiverTimesOutAndIsRetried) {
    startServer(true, 500);
    receiver_.script({{200, Ms(2000)}});
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    ASSERT_TRUE(server_->waitForErr("no answer within 500 ms (timeout)", Ms(30000)))
        << server_->err();
    const auto done = waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    });
    ASSERT_TRUE(done) << server_->err();
    EXPECT_EQ(done->getValue<int>("attempts"), 2);
    EXPECT_GE(metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="failed"})"), 1);
}

TEST_F(WebhooksTest, GivesUpAfterTheLastAttemptAndSaysWhy) {
    startServer(true, 1000, 3);
    receiver_.setDefault({500, Ms(0)});
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    const auto failed = waitForDelivery(
        hookId, [](Poco::JSON::Object& d) { return d.getValue<std::string>("state") == "failed"; });
    ASSERT_TRUE(failed) << server_->err();
    EXPECT_EQ(failed->getValue<int>("attempts"), 3);
    EXPECT_EQ(failed->getValue<int>("lastStatus"), 500);
    EXPECT_NE(failed->getValue<std::string>("lastError").find("gave up after 3 attempt"),
              std::string::npos);
    EXPECT_EQ(receiver_.requests().size(), 3u);
    EXPECT_EQ(metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="gave_up"})"), 1);
}

TEST_F(WebhooksTest, ARestartBetweenAttemptsStillDeliversOnce) {
    startServer(true, 1000, 10);  // enough attempts to outlast the restart
    receiver_.down();
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    ASSERT_TRUE(waitForDelivery(
        hookId, [](Poco::JSON::Object& d) { return d.getValue<int>("attempts") >= 1; }));
    ASSERT_EQ(server_->stop(SIGTERM), 0) << server_->err();
    receiver_.up();
    server_ = fixture_->serve();
    const auto done = waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    });
    ASSERT_TRUE(done) << server_->err();
    std::this_thread::sleep_for(Ms(500));
    EXPECT_EQ(receiver_.requests().size(), 1u);
}

TEST_F(WebhooksTest, APrivateTargetIsRefusedUnlessAllowed) {
    startServer(false);
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    const auto refused = waitForDelivery(
        hookId, [](Poco::JSON::Object& d) { return d.getValue<std::string>("state") == "failed"; });
    ASSERT_TRUE(refused) << server_->err();
    EXPECT_EQ(refused->getValue<int>("attempts"), 1);
    EXPECT_NE(refused->getValue<std::string>("lastError").find("allow_private_targets"),
              std::string::npos);
    EXPECT_TRUE(receiver_.requests().empty());
    EXPECT_EQ(metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="refused"})"), 1);
}

TEST_F(WebhooksTest, RedirectsAreNotFollowed) {
    startServer(true, 1000, 2);
    receiver_.setDefault({302, Ms(0)});
    const auto hookId =
        createWebhook(client(), key_, receiver_.url())->getValue<std::int64_t>("id");
    createInputJob(client(), key_, "ann@example.com");
    const auto failed = waitForDelivery(
        hookId, [](Poco::JSON::Object& d) { return d.getValue<std::string>("state") == "failed"; });
    ASSERT_TRUE(failed) << server_->err();
    EXPECT_EQ(failed->getValue<int>("lastStatus"), 302);
    EXPECT_EQ(receiver_.requests().size(), 2u);
}

}  // namespace
