// The integrations table on every back-end (StoreIntegrations/Sqlite.*, .../Mysql.*).

#include <gtest/gtest.h>

#include "store/store.h"
#include "store_test_fixture.h"

namespace mailsift::store {
namespace {

using testing::at;

template <class Backend>
class StoreIntegrations : public testing::StoreFixture<Backend> {
  protected:
    IntegrationRecord make(Id accountId, const std::string& name) {
        IntegrationRecord r;
        r.accountId = accountId;
        r.system = "hubspot";
        r.name = name;
        r.sealedCredentials = "c2VhbGVk";
        r.optionsJson = R"({"listId":"42","writeBack":true})";
        return r;
    }
};

using testing::BackendNames;
using testing::Backends;
TYPED_TEST_SUITE(StoreIntegrations, Backends, BackendNames);

TYPED_TEST(StoreIntegrations, CreateFindListDeleteScopedToTheAccount) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    const Id bob = s.createAccount("bob", at(1)).id;
    const IntegrationRecord first = s.createIntegration(this->make(alice, "crm"), at(1000));
    const IntegrationRecord second = s.createIntegration(this->make(alice, "crm 2"), at(2000));
    s.createIntegration(this->make(bob, "crm"), at(3000));  // same name, other account: fine
    EXPECT_GT(first.id, 0);
    EXPECT_NE(first.id, second.id);
    EXPECT_EQ(first.createdAt, at(1000));

    const auto found = s.findIntegration(alice, first.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->system, "hubspot");
    EXPECT_EQ(found->name, "crm");
    EXPECT_EQ(found->sealedCredentials, "c2VhbGVk");
    EXPECT_NE(found->optionsJson.find("\"listId\""), std::string::npos);
    EXPECT_EQ(found->updatedAt, at(1000));
    EXPECT_FALSE(s.findIntegration(bob, first.id));

    const auto list = s.listIntegrations(alice);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, first.id);
    EXPECT_EQ(list[1].id, second.id);

    EXPECT_FALSE(s.deleteIntegration(bob, first.id));
    EXPECT_TRUE(s.deleteIntegration(alice, first.id));
    EXPECT_FALSE(s.deleteIntegration(alice, first.id));
    EXPECT_FALSE(s.findIntegration(alice, first.id));
    EXPECT_EQ(s.listIntegrations(alice).size(), 1u);
}

TYPED_TEST(StoreIntegrations, ANameTakenInTheAccountIsAConflict) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    s.createIntegration(this->make(alice, "crm"), at(1000));
    EXPECT_THROW(s.createIntegration(this->make(alice, "crm"), at(2000)), StoreConflict);
}

TYPED_TEST(StoreIntegrations,
           ImportTasksAreLeasedOncePagesCommitWithTheirCursorAndWriteBackFollows) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    const Id integration = s.createIntegration(this->make(alice, "crm"), at(1)).id;
    NewJob job;
    job.accountId = alice;
    job.source = "hubspot";
    job.integrationId = integration;
    job.integrationSystem = "hubspot";
    const JobRecord created = s.createIntegrationJob(job, true, at(1000));
    EXPECT_EQ(created.state, "pending");
    ASSERT_TRUE(created.integrationId);
    EXPECT_EQ(s.integrationTaskState(created.id).first, "importing");

    const std::chrono::milliseconds ttl(10000);
    auto task = s.leaseIntegrationTask("node-a", at(2000), ttl);
    ASSERT_TRUE(task);
    EXPECT_EQ(task->jobId, created.id);
    EXPECT_EQ(task->state, "importing");
    EXPECT_EQ(task->cursor, "");
    EXPECT_EQ(task->attempts, 1);
    EXPECT_FALSE(s.leaseIntegrationTask("node-b", at(3000), ttl));  // held

    std::vector<JobRow> page{{0, "a@example.com", -1}, {1, "b@example.com", -1}};
    ASSERT_TRUE(s.appendImportPage(*task, page, "cursor-2"));
    EXPECT_EQ(task->nextPos, 2);
    EXPECT_EQ(s.findJob(alice, created.id)->emailCount, 2);

    // The lease expires; another node takes over where the committed page ended.
    auto takeover = s.leaseIntegrationTask("node-b", at(20000), ttl);
    ASSERT_TRUE(takeover);
    EXPECT_EQ(takeover->cursor, "cursor-2");
    EXPECT_EQ(takeover->nextPos, 2);
    EXPECT_EQ(takeover->attempts, 2);
    std::vector<JobRow> late{{2, "c@example.com", -1}};
    EXPECT_FALSE(s.appendImportPage(*task, late, "x"));  // the old holder writes nothing
    EXPECT_FALSE(s.renewIntegrationTask(*task, at(20001), ttl));
    EXPECT_TRUE(s.renewIntegrationTask(*takeover, at(20001), ttl));
    ASSERT_TRUE(s.appendImportPage(*takeover, late, ""));
    EXPECT_EQ(s.findJob(alice, created.id)->emailCount, 3);

    EXPECT_FALSE(s.finishImport(*task, 1000, at(21000)));
    ASSERT_TRUE(s.finishImport(*takeover, 1000, at(21000)));
    EXPECT_EQ(s.integrationTaskState(created.id).first, "awaiting");
    EXPECT_FALSE(s.leaseIntegrationTask("node-c", at(22000), ttl));  // job not done yet

    // The chunk workers finish the job; then the write-back is due.
    auto chunk = s.leaseChunk("worker", at(23000), ttl);
    ASSERT_TRUE(chunk);
    std::vector<RowResult> results;
    for (std::int64_t pos = 0; pos < 3; ++pos) {
        RowResult r;
        r.pos = pos;
        r.syntax = "pass";
        r.mx = "pass";
        r.mailbox = "pass";
        r.score = 10;
        r.classifier = "valid";
        results.push_back(r);
    }
    EXPECT_EQ(s.commitChunk(*chunk, results, at(24000)), CommitOutcome::jobFinished);
    auto writing = s.leaseIntegrationTask("node-c", at(25000), ttl);
    ASSERT_TRUE(writing);
    EXPECT_EQ(writing->state, "writing");
    s.finishIntegrationTask(*writing, "");
    EXPECT_EQ(s.integrationTaskState(created.id).first, "done");
    EXPECT_FALSE(s.leaseIntegrationTask("node-c", at(90000), ttl));
}

TYPED_TEST(StoreIntegrations, PausedAndDeletedImportsAreNotLeased) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    const Id integration = s.createIntegration(this->make(alice, "crm"), at(1)).id;
    NewJob job;
    job.accountId = alice;
    job.source = "hubspot";
    job.integrationId = integration;
    job.integrationSystem = "hubspot";
    const JobRecord paused = s.createIntegrationJob(job, false, at(1000));
    const JobRecord deleted = s.createIntegrationJob(job, false, at(1000));
    s.setJobPaused(alice, paused.id, true, at(1100));
    ASSERT_TRUE(s.deleteJob(alice, deleted.id));
    EXPECT_FALSE(s.leaseIntegrationTask("node", at(2000), std::chrono::milliseconds(1000)));
    s.setJobPaused(alice, paused.id, false, at(2100));
    const auto task = s.leaseIntegrationTask("node", at(2200), std::chrono::milliseconds(1000));
    ASSERT_TRUE(task);
    EXPECT_EQ(task->jobId, paused.id);
}

}  // namespace
}  // namespace mailsift::store
