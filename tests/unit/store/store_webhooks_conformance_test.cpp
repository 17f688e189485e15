// The webhook members of Store and the outbox written by job transitions, on every back-end:
// StoreWebhooksConformance/Sqlite.* and StoreWebhooksConformance/Mysql.*.

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store_jobs_fixture.h"

namespace mailsift::store {
namespace {

using std::chrono::milliseconds;
using testing::at;
using testing::kTtl;
using testing::resultsFor;

const std::vector<std::string> kBoth{kEventJobCompleted, kEventJobFailed};

template <class Backend>
class StoreWebhooksConformance : public testing::StoreJobsFixture<Backend> {
  protected:
    /// Leases and commits every chunk of every due job until nothing is left.
    void runAllChunks() {
        Store& s = this->store();
        while (auto lease = s.leaseChunk("w", at(1000), kTtl)) {
            s.commitChunk(*lease, resultsFor(s, *lease), at(2000));
        }
    }
};
TYPED_TEST_SUITE(StoreWebhooksConformance, testing::Backends, testing::BackendNames);

TYPED_TEST(StoreWebhooksConformance, SubscriptionsAreScopedToTheAccount) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const WebhookRecord created =
        s.createWebhook(acme, "https://hooks.example.test/a", "whsec_1", kBoth, at(100));
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.accountId, acme);
    EXPECT_EQ(created.url, "https://hooks.example.test/a");
    EXPECT_EQ(created.secret, "whsec_1");
    EXPECT_EQ(created.events, kBoth);
    EXPECT_TRUE(created.active);
    EXPECT_EQ(created.createdAt, at(100));
    EXPECT_EQ(created.updatedAt, at(100));

    EXPECT_EQ(s.listWebhooks(acme).size(), 1u);
    EXPECT_TRUE(s.listWebhooks(other).empty());
    EXPECT_FALSE(s.findWebhook(other, created.id).has_value());
    EXPECT_FALSE(s.updateWebhook(other, created.id, WebhookUpdate{}, at(200)).has_value());
    EXPECT_FALSE(s.deleteWebhook(other, created.id));

    WebhookUpdate update;
    update.active = false;
    update.events = std::vector<std::string>{kEventJobFailed};
    const auto updated = s.updateWebhook(acme, created.id, update, at(300));
    ASSERT_TRUE(updated.has_value());
    EXPECT_FALSE(updated->active);
    EXPECT_EQ(updated->url, created.url);
    EXPECT_EQ(updated->events, std::vector<std::string>{kEventJobFailed});
    EXPECT_EQ(updated->updatedAt, at(300));
    EXPECT_EQ(s.findWebhook(acme, created.id)->events, std::vector<std::string>{kEventJobFailed});

    EXPECT_TRUE(s.deleteWebhook(acme, created.id));
    EXPECT_FALSE(s.deleteWebhook(acme, created.id));
    EXPECT_TRUE(s.listWebhooks(acme).empty());
}

TYPED_TEST(StoreWebhooksConformance, FinishingAJobWritesOneDeliveryPerMatchingSubscription) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const Id both = s.createWebhook(acme, "http://a.test/", "k1", kBoth, at(1)).id;
    const Id failedOnly =
        s.createWebhook(acme, "http://b.test/", "k2", {kEventJobFailed}, at(1)).id;
    const Id inactive = s.createWebhook(acme, "http://c.test/", "k3", kBoth, at(1)).id;
    WebhookUpdate off;
    off.active = false;
    s.updateWebhook(acme, inactive, off, at(2));
    const Id foreign = s.createWebhook(other, "http://d.test/", "k4", kBoth, at(1)).id;

    const Id job = this->numberedJob(acme, 5, 2);
    this->runAllChunks();
    ASSERT_EQ(s.findJob(acme, job)->state, "done");

    const auto deliveries = s.listDeliveries(acme, both, 10);
    ASSERT_EQ(deliveries.size(), 1u);
    EXPECT_EQ(deliveries[0].event, kEventJobCompleted);
    EXPECT_EQ(deliveries[0].jobId, job);
    EXPECT_EQ(deliveries[0].state, "pending");
    EXPECT_EQ(deliveries[0].attempts, 0);
    EXPECT_TRUE(s.listDeliveries(acme, failedOnly, 10).empty());
    EXPECT_TRUE(s.listDeliveries(acme, inactive, 10).empty());
    EXPECT_TRUE(s.listDeliveries(other, foreign, 10).empty());
    EXPECT_TRUE(s.listDeliveries(other, both, 10).empty()) << "another account's subscription";

    const auto claimed = s.claimDeliveries("d1", at(5000), kTtl, 10);
    ASSERT_EQ(claimed.size(), 1u);
    EXPECT_EQ(claimed[0].url, "http://a.test/");
    EXPECT_EQ(claimed[0].secret, "k1");
    EXPECT_EQ(claimed[0].attempts, 1);
    Poco::JSON::Parser parser;
    const auto body = parser.parse(claimed[0].body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->getValue<std::string>("event"), kEventJobCompleted);
    EXPECT_EQ(body->getValue<Id>("jobId"), job);
    EXPECT_EQ(body->getValue<Id>("accountId"), acme);
    EXPECT_EQ(body->getValue<std::string>("state"), "done");
    EXPECT_EQ(body->getValue<std::int64_t>("emailCount"), 5);
    EXPECT_EQ(body->getValue<std::int64_t>("deliverableCount") +
                  body->getValue<std::int64_t>("undeliverableCount") +
                  body->getValue<std::int64_t>("riskyCount"),
              5);
    EXPECT_EQ(body->getObject("job")->getValue<Id>("id"), job);
    EXPECT_FALSE(body->isNull("finishedAt"));
}

TYPED_TEST(StoreWebhooksConformance, FailedAndEmptyJobsWriteTheirEvents) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id hook = s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1)).id;
    const Id failing = this->numberedJob(acme, 3, 10);
    s.failJob(failing, "the file could not be read", at(50));
    s.failJob(failing, "again", at(60));  // no second event: the job failed already
    const Id empty = s.createJob(NewJob{acme, "", "input", std::nullopt, ""}, at(70)).id;
    s.sealJob(empty, 10, at(80));

    auto deliveries = s.listDeliveries(acme, hook, 10);
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].event, kEventJobCompleted);  // newest first
    EXPECT_EQ(deliveries[0].jobId, empty);
    EXPECT_EQ(deliveries[1].event, kEventJobFailed);
    EXPECT_EQ(deliveries[1].jobId, failing);
    const auto claimed = s.claimDeliveries("d1", at(100), kTtl, 10);
    ASSERT_EQ(claimed.size(), 2u);
    Poco::JSON::Parser parser;
    const auto body = parser.parse(claimed[0].body).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(body->getValue<std::string>("state"), "failed");
    EXPECT_EQ(body->getObject("job")->getValue<std::string>("error"), "the file could not be read");
}

TYPED_TEST(StoreWebhooksConformance, AJobDeletedBeforeItFinishedGetsNoDelivery) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id hook = s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1)).id;
    const Id job = this->numberedJob(acme, 4, 2);
    const auto lease = s.leaseChunk("w", at(100), kTtl);
    ASSERT_TRUE(lease.has_value());
    ASSERT_TRUE(s.deleteJob(acme, job));
    EXPECT_EQ(s.commitChunk(*lease, resultsFor(s, *lease), at(200)), CommitOutcome::leaseLost);
    s.failJob(job, "gone", at(300));
    EXPECT_TRUE(s.listDeliveries(acme, hook, 10).empty());
}

TYPED_TEST(StoreWebhooksConformance, ClaimsAreExclusiveUntilTheyExpire) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id hook = s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1)).id;
    const Id job = this->numberedJob(acme, 1, 1);
    s.failJob(job, "x", at(10));

    const auto first = s.claimDeliveries("d1", at(100), milliseconds(1000), 5);
    ASSERT_EQ(first.size(), 1u);
    EXPECT_TRUE(s.claimDeliveries("d2", at(500), milliseconds(1000), 5).empty()) << "held";
    // d1 died mid-send: its claim expires and d2 takes the delivery over.
    const auto second = s.claimDeliveries("d2", at(1200), milliseconds(1000), 5);
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].attempts, 2);
    DeliveryAttempt delivered;
    delivered.outcome = DeliveryAttempt::Outcome::delivered;
    delivered.status = 200;
    EXPECT_FALSE(s.recordDeliveryAttempt(first[0], delivered, at(1300))) << "claim lost";
    EXPECT_TRUE(s.recordDeliveryAttempt(second[0], delivered, at(1300)));
    EXPECT_FALSE(s.recordDeliveryAttempt(second[0], delivered, at(1301))) << "claim used";
    EXPECT_TRUE(s.claimDeliveries("d3", at(99'000), milliseconds(1000), 5).empty());
    const auto shown = s.listDeliveries(acme, hook, 10);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].state, "delivered");
    EXPECT_EQ(shown[0].attempts, 2);
    EXPECT_EQ(shown[0].lastStatus, 200);
    EXPECT_EQ(shown[0].deliveredAt, at(1300));
}

TYPED_TEST(StoreWebhooksConformance, RetriesWaitForTheirTimeAndGivingUpEndsThem) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id hook = s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1)).id;
    s.failJob(this->numberedJob(acme, 1, 1), "x", at(10));

    auto claim = s.claimDeliveries("d1", at(100), kTtl, 5);
    ASSERT_EQ(claim.size(), 1u);
    DeliveryAttempt retry;
    retry.outcome = DeliveryAttempt::Outcome::retry;
    retry.status = 503;
    retry.error = "the target answered 503";
    retry.nextAttemptAt = at(10'000);
    ASSERT_TRUE(s.recordDeliveryAttempt(claim[0], retry, at(200)));
    auto shown = s.listDeliveries(acme, hook, 10);
    EXPECT_EQ(shown[0].state, "pending");
    EXPECT_EQ(shown[0].lastStatus, 503);
    EXPECT_EQ(shown[0].lastError, "the target answered 503");
    EXPECT_EQ(shown[0].nextAttemptAt, at(10'000));
    EXPECT_TRUE(s.claimDeliveries("d1", at(9'999), kTtl, 5).empty()) << "not due yet";

    claim = s.claimDeliveries("d1", at(10'000), kTtl, 5);
    ASSERT_EQ(claim.size(), 1u);
    DeliveryAttempt gaveUp;
    gaveUp.outcome = DeliveryAttempt::Outcome::gaveUp;
    gaveUp.error = "gave up after 2 attempt(s); last: no answer";
    ASSERT_TRUE(s.recordDeliveryAttempt(claim[0], gaveUp, at(10'500)));
    shown = s.listDeliveries(acme, hook, 10);
    EXPECT_EQ(shown[0].state, "failed");
    EXPECT_FALSE(shown[0].lastStatus.has_value());
    EXPECT_EQ(shown[0].lastError, gaveUp.error);
    EXPECT_TRUE(s.claimDeliveries("d1", at(1'000'000'000), kTtl, 5).empty());
}

TYPED_TEST(StoreWebhooksConformance, InactiveSubscriptionsAreNotDeliveredAndDeletedOnesVanish) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id hook = s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1)).id;
    s.failJob(this->numberedJob(acme, 1, 1), "x", at(10));
    WebhookUpdate off;
    off.active = false;
    s.updateWebhook(acme, hook, off, at(20));
    EXPECT_TRUE(s.claimDeliveries("d1", at(100), kTtl, 5).empty());
    WebhookUpdate on;
    on.active = true;
    s.updateWebhook(acme, hook, on, at(30));
    const auto claim = s.claimDeliveries("d1", at(100), kTtl, 5);
    ASSERT_EQ(claim.size(), 1u);
    ASSERT_TRUE(s.deleteWebhook(acme, hook));
    DeliveryAttempt delivered;
    delivered.outcome = DeliveryAttempt::Outcome::delivered;
    EXPECT_FALSE(s.recordDeliveryAttempt(claim[0], delivered, at(200)));
}

TYPED_TEST(StoreWebhooksConformance, ConcurrentClaimersNeverShareADelivery) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    s.createWebhook(acme, "http://a.test/", "k", kBoth, at(1));
    constexpr int kEvents = 40;
    for (int i = 0; i < kEvents; ++i) {
        s.failJob(this->numberedJob(acme, 1, 1), "x", at(10));
    }
    std::mutex mutex;
    std::multiset<Id> seen;
    std::vector<std::thread> claimers;
    for (int t = 0; t < 4; ++t) {
        claimers.emplace_back([&, t] {
            const std::string owner = "d" + std::to_string(t);
            while (true) {
                const auto claimed = s.claimDeliveries(owner, at(100), kTtl, 3);
                if (claimed.empty()) {
                    return;
                }
                std::lock_guard lock(mutex);
                for (const auto& c : claimed) {
                    seen.insert(c.id);
                }
            }
        });
    }
    for (auto& t : claimers) {
        t.join();
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(kEvents));
    EXPECT_EQ(std::set<Id>(seen.begin(), seen.end()).size(), static_cast<std::size_t>(kEvents));
}

}  // namespace
}  // namespace mailsift::store
