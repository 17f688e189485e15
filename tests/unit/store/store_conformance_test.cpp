// One suite, every back-end: each test runs as StoreConformance/Sqlite.* and
// StoreConformance/Mysql.*.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "store/migrations/migrations.h"
#include "store/store.h"
#include "store_test_fixture.h"

namespace mailsift::store {
namespace {

using testing::at;

template <class Backend>
class StoreConformance : public testing::StoreFixture<Backend> {
  protected:
    Id insertJob(Id accountId, const std::string& label, std::int64_t createdAt) {
        return this->backend_.exec(
            "INSERT INTO jobs (account_id, label, state, source, email_count, created_at) "
            "VALUES (" +
            std::to_string(accountId) + ", '" + label + "', 'pending', 'file', 3, " +
            std::to_string(createdAt) + ")");
    }
};

using testing::BackendNames;
using testing::Backends;
TYPED_TEST_SUITE(StoreConformance, Backends, BackendNames);

TYPED_TEST(StoreConformance, MigrateIsIdempotentAndReportsTheVersion) {
    Store& s = *this->store_;
    EXPECT_EQ(s.schemaVersion(), 0);
    EXPECT_EQ(s.migrate(), static_cast<int>(migrations::all().size()));
    EXPECT_EQ(s.schemaVersion(), migrations::latestVersion());
    EXPECT_EQ(s.migrate(), 0);
    auto again = this->backend_.open();
    EXPECT_EQ(again->migrate(), 0);
    EXPECT_EQ(again->schemaVersion(), migrations::latestVersion());
}

TYPED_TEST(StoreConformance, ConcurrentStartUpsApplyEachMigrationOnce) {
    constexpr int kServers = 4;
    std::vector<std::unique_ptr<Store>> servers;
    for (int i = 0; i < kServers; ++i) {
        servers.push_back(this->backend_.open(1));
    }
    std::vector<int> applied(kServers, -1);
    std::vector<std::string> errors(kServers);
    std::vector<std::thread> threads;
    for (int i = 0; i < kServers; ++i) {
        threads.emplace_back([&, i] {
            try {
                applied[static_cast<std::size_t>(i)] =
                    servers[static_cast<std::size_t>(i)]->migrate();
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(i)] = e.what();
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (const auto& error : errors) {
        EXPECT_EQ(error, "");
    }
    int total = 0;
    for (int n : applied) {
        total += n;
    }
    EXPECT_EQ(total, static_cast<int>(migrations::all().size()));
    EXPECT_EQ(this->store_->schemaVersion(), migrations::latestVersion());
}

TYPED_TEST(StoreConformance, BackendAndPing) {
    EXPECT_EQ(this->store_->backend(),
              std::string(TypeParam::kName) == "Sqlite" ? "sqlite" : "mysql");
    EXPECT_NO_THROW(this->store().ping());
}

TYPED_TEST(StoreConformance, CreatesFindsAndCountsAccounts) {
    Store& s = this->store();
    EXPECT_EQ(s.countAccounts(), 0);
    const Account a = s.createAccount("acme", at(1'700'000'000'123));
    EXPECT_GT(a.id, 0);
    EXPECT_EQ(a.name, "acme");
    EXPECT_EQ(a.createdAt, at(1'700'000'000'123));
    const Account b = s.createAccount("Zoë 🚀 globex", at(5));
    EXPECT_NE(a.id, b.id);

    const auto found = s.findAccount("acme");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, a.id);
    EXPECT_EQ(found->name, "acme");
    EXPECT_EQ(found->createdAt, a.createdAt);
    const auto unicode = s.findAccount("Zoë 🚀 globex");
    ASSERT_TRUE(unicode.has_value());
    EXPECT_EQ(unicode->id, b.id);
    EXPECT_FALSE(s.findAccount("nobody").has_value());
    EXPECT_FALSE(s.findAccount("ACME").has_value()) << "names compare exactly";
    EXPECT_EQ(s.countAccounts(), 2);
}

TYPED_TEST(StoreConformance, DuplicateAccountNameIsAConflict) {
    Store& s = this->store();
    s.createAccount("acme", at(1));
    EXPECT_THROW(s.createAccount("acme", at(2)), StoreConflict);
    EXPECT_EQ(s.countAccounts(), 1);
    EXPECT_NO_THROW(s.createAccount("acme2", at(3))) << "the store stays usable after a conflict";
}

TYPED_TEST(StoreConformance, CreatesFindsListsAndRevokesApiKeys) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    const Account globex = s.createAccount("globex", at(1));
    const ApiKeyRecord k1 = s.createApiKey(acme.id, "lk_one", "hash-one", at(100));
    const ApiKeyRecord k2 = s.createApiKey(globex.id, "lk_two", "hash-two", at(200));
    const ApiKeyRecord k3 = s.createApiKey(acme.id, "lk_three", "hash-three", at(300));
    EXPECT_GT(k1.id, 0);
    EXPECT_EQ(k1.accountId, acme.id);
    EXPECT_EQ(k1.accountName, "acme");
    EXPECT_EQ(k1.lookupId, "lk_one");
    EXPECT_EQ(k1.secretHash, "hash-one");
    EXPECT_EQ(k1.createdAt, at(100));
    EXPECT_FALSE(k1.revokedAt.has_value());

    const auto found = s.findApiKey("lk_two");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, k2.id);
    EXPECT_EQ(found->accountId, globex.id);
    EXPECT_EQ(found->accountName, "globex");
    EXPECT_EQ(found->secretHash, "hash-two");
    EXPECT_EQ(found->createdAt, at(200));
    EXPECT_FALSE(s.findApiKey("lk_unknown").has_value());

    const auto all = s.listApiKeys();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, k1.id);
    EXPECT_EQ(all[1].id, k2.id);
    EXPECT_EQ(all[2].id, k3.id);
    EXPECT_EQ(all[2].accountName, "acme");

    EXPECT_TRUE(s.revokeApiKey(k1.id, at(400)));
    EXPECT_FALSE(s.revokeApiKey(k1.id, at(500))) << "revoking twice";
    EXPECT_FALSE(s.revokeApiKey(k3.id + 1000, at(500))) << "unknown key";
    const auto revoked = s.findApiKey("lk_one");
    ASSERT_TRUE(revoked.has_value());
    ASSERT_TRUE(revoked->revokedAt.has_value()) << "revoked keys are still found";
    EXPECT_EQ(*revoked->revokedAt, at(400));
    EXPECT_FALSE(s.findApiKey("lk_three")->revokedAt.has_value());
}

TYPED_TEST(StoreConformance, ApiKeyErrors) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    s.createApiKey(acme.id, "lk_dup", "h", at(1));
    EXPECT_THROW(s.createApiKey(acme.id, "lk_dup", "h2", at(2)), StoreConflict);
    try {
        s.createApiKey(acme.id + 999, "lk_orphan", "h", at(1));
        ADD_FAILURE() << "a key for a missing account was created";
    } catch (const StoreConflict&) {
        ADD_FAILURE() << "a missing account is not a conflict";
    } catch (const StoreError&) {
    }
    EXPECT_EQ(s.listApiKeys().size(), 1u);
}

TYPED_TEST(StoreConformance, ListsJobsNewestFirstScopedToTheAccount) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    const Account globex = s.createAccount("globex", at(1));
    const Id older = this->insertJob(acme.id, "older", 1000);
    const Id theirs = this->insertJob(globex.id, "theirs", 1500);
    const Id newest = this->insertJob(acme.id, "newest", 3000);
    const Id sameMsA = this->insertJob(acme.id, "same-a", 2000);
    const Id sameMsB = this->insertJob(acme.id, "same-b", 2000);

    const auto jobs = s.listJobs(acme.id);
    ASSERT_EQ(jobs.size(), 4u);
    EXPECT_EQ(jobs[0].id, newest);
    EXPECT_EQ(jobs[1].id, sameMsB) << "ties broken by id, newest first";
    EXPECT_EQ(jobs[2].id, sameMsA);
    EXPECT_EQ(jobs[3].id, older);
    for (const auto& job : jobs) {
        EXPECT_EQ(job.accountId, acme.id);
    }
    const auto theirJobs = s.listJobs(globex.id);
    ASSERT_EQ(theirJobs.size(), 1u);
    EXPECT_EQ(theirJobs[0].id, theirs);
    EXPECT_TRUE(s.listJobs(globex.id + acme.id + 100).empty());
}

TYPED_TEST(StoreConformance, FindJobReadsEveryFieldAndHidesOtherAccounts) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    const Account globex = s.createAccount("globex", at(1));
    const Id integration = this->backend_.exec(
        "INSERT INTO integrations (account_id, `system`, name, credentials, options, created_at, "
        "updated_at) VALUES (" +
        std::to_string(acme.id) + ", 'hubspot', 'crm', NULL, '{}', 1, 1)");
    const Id full = this->backend_.exec(
        "INSERT INTO jobs (account_id, label, state, source, email_count, integration_id, "
        "integration_system, total_emails, deliverable_count, undeliverable_count, risky_count, "
        "created_at, finished_at, error) VALUES (" +
        std::to_string(acme.id) + ", 'Q3 list', 'failed', 'hubspot', 10, " +
        std::to_string(integration) + ", 'hubspot', 9, 5, 3, 1, 1700000000001, 1700000000999, " +
        "'provider said 401')");
    const Id plain = this->insertJob(acme.id, "plain", 42);

    const auto job = s.findJob(acme.id, full);
    ASSERT_TRUE(job.has_value());
    EXPECT_EQ(job->id, full);
    EXPECT_EQ(job->accountId, acme.id);
    EXPECT_EQ(job->label, "Q3 list");
    EXPECT_EQ(job->state, "failed");
    EXPECT_EQ(job->source, "hubspot");
    EXPECT_EQ(job->emailCount, 10);
    ASSERT_TRUE(job->integrationId.has_value());
    EXPECT_EQ(*job->integrationId, integration);
    EXPECT_EQ(job->integrationSystem, "hubspot");
    EXPECT_EQ(job->totalEmails, 9);
    EXPECT_EQ(job->deliverableCount, 5);
    EXPECT_EQ(job->undeliverableCount, 3);
    EXPECT_EQ(job->riskyCount, 1);
    EXPECT_EQ(job->createdAt, at(1700000000001));
    ASSERT_TRUE(job->finishedAt.has_value());
    EXPECT_EQ(*job->finishedAt, at(1700000000999));
    EXPECT_EQ(job->error, "provider said 401");

    const auto simple = s.findJob(acme.id, plain);
    ASSERT_TRUE(simple.has_value());
    EXPECT_EQ(simple->label, "plain");
    EXPECT_EQ(simple->emailCount, 3);
    EXPECT_FALSE(simple->integrationId.has_value());
    EXPECT_EQ(simple->integrationSystem, "");
    EXPECT_EQ(simple->totalEmails, 0);
    EXPECT_FALSE(simple->finishedAt.has_value());
    EXPECT_EQ(simple->error, "");

    EXPECT_FALSE(s.findJob(globex.id, full).has_value()) << "another account's job is hidden";
    EXPECT_FALSE(s.findJob(acme.id, plain + 1000).has_value());
}

TYPED_TEST(StoreConformance, RelabelsOnlyTheAccountsOwnJob) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    const Account globex = s.createAccount("globex", at(1));
    const Id job = this->insertJob(acme.id, "before", 1);
    EXPECT_TRUE(s.setJobLabel(acme.id, job, "after"));
    EXPECT_TRUE(s.setJobLabel(acme.id, job, "after")) << "the same label again is no failure";
    EXPECT_EQ(s.findJob(acme.id, job)->label, "after");
    EXPECT_FALSE(s.setJobLabel(globex.id, job, "stolen"));
    EXPECT_FALSE(s.setJobLabel(acme.id, job + 1000, "missing"));
    EXPECT_EQ(s.findJob(acme.id, job)->label, "after");
}

TYPED_TEST(StoreConformance, ConcurrentKeyCreationFromManyThreads) {
    Store& s = this->store();
    const Account acme = s.createAccount("acme", at(1));
    constexpr int kThreads = 8;
    constexpr int kKeysEach = 25;
    std::vector<std::vector<Id>> ids(kThreads);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            const auto slot = static_cast<std::size_t>(t);
            try {
                for (int i = 0; i < kKeysEach; ++i) {
                    const std::string lookup = "lk_" + std::to_string(t) + "_" + std::to_string(i);
                    ids[slot].push_back(s.createApiKey(acme.id, lookup, "h", at(10 + i)).id);
                    if (!s.findApiKey(lookup).has_value()) {
                        throw std::runtime_error("key " + lookup + " not found after creation");
                    }
                }
            } catch (const std::exception& e) {
                errors[slot] = e.what();
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    std::set<Id> unique;
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(errors[static_cast<std::size_t>(t)], "") << "thread " << t;
        unique.insert(ids[static_cast<std::size_t>(t)].begin(),
                      ids[static_cast<std::size_t>(t)].end());
    }
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kKeysEach));
    EXPECT_EQ(s.listApiKeys().size(), static_cast<std::size_t>(kThreads * kKeysEach));
}

TYPED_TEST(StoreConformance, MigrationCreatesTheTablesLaterIssuesNeed) {
    this->store();
    for (const char* table :
         {"accounts", "api_keys", "jobs", "job_rows", "chunks", "webhook_subscriptions",
          "webhook_deliveries", "integrations", "schema_migrations"}) {
        EXPECT_NO_THROW(this->backend_.exec(std::string("SELECT COUNT(*) FROM ") + table)) << table;
    }
}

}  // namespace
}  // namespace mailsift::store
