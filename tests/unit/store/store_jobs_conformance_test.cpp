// The job members of Store on every back-end: StoreJobsConformance/Sqlite.* and
// StoreJobsConformance/Mysql.*.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "store_jobs_fixture.h"

namespace mailsift::store {
namespace {

using std::chrono::milliseconds;
using namespace std::string_literals;
using testing::at;
using testing::classifierFor;
using testing::kTtl;
using testing::resultFor;
using testing::resultsFor;

template <class Backend>
using StoreJobsConformance = testing::StoreJobsFixture<Backend>;
TYPED_TEST_SUITE(StoreJobsConformance, testing::Backends, testing::BackendNames);

TYPED_TEST(StoreJobsConformance, CreateAppendSealMakesChunks) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const JobRecord created =
        s.createJob(NewJob{acme, "Newsletter", "file", std::nullopt, ""}, at(1000));
    EXPECT_GT(created.id, 0);
    EXPECT_EQ(created.state, "pending");
    EXPECT_EQ(created.label, "Newsletter");
    EXPECT_EQ(created.emailCount, 0);
    EXPECT_EQ(created.createdAt, at(1000));
    EXPECT_FALSE(created.finishedAt.has_value());

    std::vector<JobRow> first, second;
    for (int i = 0; i < 1500; ++i) {
        first.push_back({i, "a" + std::to_string(i) + "@x.test", -1});
    }
    for (int i = 1500; i < 2500; ++i) {
        second.push_back({i, "b" + std::to_string(i) + "@x.test", -1});
    }
    s.appendRows(created.id, first);
    EXPECT_EQ(s.findJob(acme, created.id)->emailCount, 1500);
    s.appendRows(created.id, second);
    s.appendRows(created.id, {});
    EXPECT_EQ(s.findJob(acme, created.id)->emailCount, 2500);
    EXPECT_FALSE(s.leaseChunk("w1", at(2000), kTtl).has_value()) << "not sealed yet";

    s.sealJob(created.id, 1000, at(3000));
    s.sealJob(created.id, 1000, at(3000));  // idempotent
    EXPECT_THROW(s.appendRows(created.id, {{2500, "late@x.test", -1}}), StoreError);
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    for (int i = 0; i < 3; ++i) {
        const auto lease = s.leaseChunk("w1", at(4000 + i), kTtl);
        ASSERT_TRUE(lease.has_value());
        EXPECT_EQ(lease->jobId, created.id);
        EXPECT_EQ(lease->accountId, acme);
        EXPECT_EQ(lease->chunkNo, i);
        EXPECT_EQ(lease->attempts, 1);
        EXPECT_EQ(lease->owner, "w1");
        ranges.emplace_back(lease->firstPos, lease->lastPos);
        const auto rows = s.leasedRows(*lease);
        ASSERT_EQ(rows.size(), static_cast<std::size_t>(lease->lastPos - lease->firstPos + 1));
        EXPECT_EQ(rows.front().pos, lease->firstPos);
        EXPECT_EQ(rows.back().pos, lease->lastPos);
        EXPECT_EQ(rows.front().email, (lease->firstPos < 1500 ? "a" : "b") +
                                          std::to_string(lease->firstPos) + "@x.test");
    }
    EXPECT_EQ(ranges, (std::vector<std::pair<std::int64_t, std::int64_t>>{
                          {0, 999}, {1000, 1999}, {2000, 2499}}));
    EXPECT_FALSE(s.leaseChunk("w1", at(5000), kTtl).has_value());
    EXPECT_EQ(s.findJob(acme, created.id)->state, "running");
}

TYPED_TEST(StoreJobsConformance, AppendToAMissingJobFails) {
    Store& s = this->store();
    EXPECT_THROW(s.appendRows(999, {{0, "a@x.test", -1}}), StoreError);
    EXPECT_THROW(s.sealJob(999, 10, at(1)), StoreError);
}

TYPED_TEST(StoreJobsConformance, EmptyJobSealedIsDone) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->job(acme, {}, 1000);
    const auto job = s.findJob(acme, id);
    EXPECT_EQ(job->state, "done");
    EXPECT_EQ(job->emailCount, 0);
    ASSERT_TRUE(job->finishedAt.has_value());
    EXPECT_EQ(*job->finishedAt, at(20));
    EXPECT_FALSE(s.leaseChunk("w", at(30), kTtl).has_value());
    EXPECT_TRUE(s.readResults(acme, id, 0, 1000).empty());
}

TYPED_TEST(StoreJobsConformance, LeaseRenewCommitRoundTripKeepsCountersExact) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->numberedJob(acme, 7, 4);
    EXPECT_EQ(s.findJob(acme, id)->state, "pending");

    const auto first = s.leaseChunk("w1", at(100), kTtl);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(s.findJob(acme, id)->state, "running") << "a pending job runs on its first lease";
    EXPECT_TRUE(s.renewLease(*first, at(200), kTtl));
    EXPECT_TRUE(s.renewLease(*first, at(200), kTtl)) << "renewing twice in one ms still holds";
    ChunkLease forged = *first;
    forged.token += 1;
    EXPECT_FALSE(s.renewLease(forged, at(200), kTtl));
    EXPECT_EQ(s.commitChunk(forged, resultsFor(s, *first), at(250)), CommitOutcome::leaseLost);

    EXPECT_EQ(s.commitChunk(*first, resultsFor(s, *first), at(300)), CommitOutcome::committed);
    auto job = s.findJob(acme, id);
    EXPECT_EQ(job->totalEmails, 4);
    EXPECT_EQ(job->deliverableCount, 2);  // positions 0 and 3
    EXPECT_EQ(job->undeliverableCount, 1);
    EXPECT_EQ(job->riskyCount, 1);
    EXPECT_EQ(job->state, "running");
    EXPECT_FALSE(job->finishedAt.has_value());
    EXPECT_FALSE(s.renewLease(*first, at(310), kTtl)) << "a committed chunk is no longer leased";
    EXPECT_EQ(s.commitChunk(*first, resultsFor(s, *first), at(320)), CommitOutcome::leaseLost)
        << "committing twice";

    const auto second = s.leaseChunk("w1", at(400), kTtl);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(second->firstPos, 4);
    EXPECT_EQ(second->lastPos, 6);
    EXPECT_EQ(s.commitChunk(*second, resultsFor(s, *second), at(500)), CommitOutcome::jobFinished);
    job = s.findJob(acme, id);
    EXPECT_EQ(job->state, "done");
    ASSERT_TRUE(job->finishedAt.has_value());
    EXPECT_EQ(*job->finishedAt, at(500));
    EXPECT_EQ(job->totalEmails, 7);
    EXPECT_EQ(job->deliverableCount, 3);
    EXPECT_EQ(job->undeliverableCount, 2);
    EXPECT_EQ(job->riskyCount, 2);

    const auto rows = s.readResults(acme, id, 0, 1000);
    ASSERT_EQ(rows.size(), 7u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const RowResult expected = resultFor(static_cast<std::int64_t>(i));
        EXPECT_EQ(rows[i].pos, static_cast<std::int64_t>(i));
        EXPECT_EQ(rows[i].email, "user" + std::to_string(i) + "@example.test");
        ASSERT_TRUE(rows[i].result.has_value());
        EXPECT_EQ(rows[i].result->classifier, expected.classifier);
        EXPECT_EQ(rows[i].result->syntax, expected.syntax);
        EXPECT_EQ(rows[i].result->mx, expected.mx);
        EXPECT_EQ(rows[i].result->mailbox, expected.mailbox);
        EXPECT_EQ(rows[i].result->score, expected.score);
        EXPECT_EQ(rows[i].result->description, expected.description);
        EXPECT_EQ(rows[i].result->smtpResponse, expected.smtpResponse);
        EXPECT_NE(rows[i].result->extraJson.find("mx.example.test"), std::string::npos);
    }
}

TYPED_TEST(StoreJobsConformance, LeasesAlternateBetweenAccounts) {
    Store& s = this->store();
    const Id big = this->account("big");
    const Id small = this->account("small");
    const Id bigJob = this->numberedJob(big, 20, 2);      // 10 chunks
    const Id otherBigJob = this->numberedJob(big, 4, 2);  // 2 chunks, same account
    const Id smallJob = this->numberedJob(small, 4, 2);   // 2 chunks
    std::vector<Id> accounts;
    std::map<Id, int> perJob;
    for (int i = 0; i < 14; ++i) {
        const auto lease = s.leaseChunk("w", at(1000 + i), kTtl);
        ASSERT_TRUE(lease.has_value()) << i;
        accounts.push_back(lease->accountId);
        ++perJob[lease->jobId];
    }
    EXPECT_FALSE(s.leaseChunk("w", at(2000), kTtl).has_value());
    // The small account is served every other lease until its job runs out.
    for (int i = 0; i < 4; ++i) {
        EXPECT_NE(accounts[static_cast<std::size_t>(i)], accounts[static_cast<std::size_t>(i + 1)])
            << "lease " << i;
    }
    EXPECT_EQ(std::count(accounts.begin(), accounts.begin() + 4, small), 2);
    EXPECT_EQ(perJob[bigJob], 10);
    EXPECT_EQ(perJob[otherBigJob], 2);
    EXPECT_EQ(perJob[smallJob], 2);
}

TYPED_TEST(StoreJobsConformance, JobsOfOneAccountAlternate) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id a = this->numberedJob(acme, 6, 2);
    const Id b = this->numberedJob(acme, 6, 2);
    std::vector<Id> order;
    for (int i = 0; i < 6; ++i) {
        order.push_back(s.leaseChunk("w", at(100 + i), kTtl)->jobId);
    }
    EXPECT_EQ(order, (std::vector<Id>{a, b, a, b, a, b}));
}

TYPED_TEST(StoreJobsConformance, ExpiredLeaseIsTakenOverAndTheOldOwnerLosesIt) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->numberedJob(acme, 3, 10);
    const auto old = s.leaseChunk("old", at(1000), milliseconds(1000));
    ASSERT_TRUE(old.has_value());
    EXPECT_FALSE(s.leaseChunk("new", at(1500), kTtl).has_value()) << "live lease";
    EXPECT_TRUE(s.renewLease(*old, at(1900), milliseconds(1000))) << "now held until 2900";
    EXPECT_FALSE(s.leaseChunk("new", at(2800), kTtl).has_value());
    const auto taken = s.leaseChunk("new", at(3000), kTtl);
    ASSERT_TRUE(taken.has_value());
    EXPECT_EQ(taken->chunkNo, old->chunkNo);
    EXPECT_EQ(taken->attempts, 2);
    EXPECT_NE(taken->token, old->token);
    EXPECT_FALSE(s.renewLease(*old, at(3100), kTtl));
    EXPECT_EQ(s.commitChunk(*old, resultsFor(s, *old), at(3200)), CommitOutcome::leaseLost);
    EXPECT_EQ(s.findJob(acme, id)->totalEmails, 0) << "the lost commit wrote nothing";
    for (const auto& row : s.readResults(acme, id, 0, 10)) {
        EXPECT_FALSE(row.result.has_value());
    }
    EXPECT_EQ(s.commitChunk(*taken, resultsFor(s, *taken), at(3300)), CommitOutcome::jobFinished);
    EXPECT_EQ(s.findJob(acme, id)->totalEmails, 3);
}

TYPED_TEST(StoreJobsConformance, ReleasedChunkIsLeasedAgainAtOnce) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    this->numberedJob(acme, 3, 10);
    const auto lease = s.leaseChunk("a", at(100), kTtl);
    ASSERT_TRUE(lease.has_value());
    s.releaseLease(*lease);
    EXPECT_FALSE(s.renewLease(*lease, at(110), kTtl));
    const auto again = s.leaseChunk("b", at(120), kTtl);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(again->chunkNo, lease->chunkNo);
    EXPECT_EQ(again->attempts, 1) << "a graceful release does not count as an attempt";
    s.releaseLease(*lease);  // a stale release changes nothing
    EXPECT_TRUE(s.renewLease(*again, at(130), kTtl));
}

TYPED_TEST(StoreJobsConformance, DuplicatesAreVerifiedOnceAndAnsweredAtTheEnd) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    // positions:  0  1  2  3  4  5
    const Id id =
        this->job(acme, {"a@x", "b@x", "a@x", "c@x", "b@x", "a@x"}, 2, {-1, -1, 0, -1, 1, 0});
    std::set<std::int64_t> verified;
    for (;;) {
        const auto lease = s.leaseChunk("w", at(100), kTtl);
        if (!lease) {
            break;
        }
        auto results = resultsFor(s, *lease);
        for (const auto& r : results) {
            verified.insert(r.pos);
        }
        const CommitOutcome outcome = s.commitChunk(*lease, results, at(200));
        EXPECT_NE(outcome, CommitOutcome::leaseLost);
        if (outcome == CommitOutcome::committed) {
            EXPECT_FALSE(s.readResults(acme, id, 5, 1)[0].result.has_value())
                << "duplicates are filled when the job finishes";
        }
    }
    EXPECT_EQ(verified, (std::set<std::int64_t>{0, 1, 3}));
    const auto job = s.findJob(acme, id);
    EXPECT_EQ(job->state, "done");
    const auto rows = s.readResults(acme, id, 0, 100);
    ASSERT_EQ(rows.size(), 6u);
    std::int64_t valid = 0, invalid = 0, risky = 0;
    for (const auto& row : rows) {
        ASSERT_TRUE(row.result.has_value()) << "row " << row.pos;
        valid += row.result->classifier == "valid";
        invalid += row.result->classifier == "invalid";
        risky += row.result->classifier == "risky";
    }
    EXPECT_EQ(rows[2].result->smtpResponse, rows[0].result->smtpResponse);
    EXPECT_EQ(rows[5].result->classifier, rows[0].result->classifier);
    EXPECT_EQ(rows[4].result->score, rows[1].result->score);
    EXPECT_EQ(job->totalEmails, 6);
    EXPECT_EQ(job->deliverableCount, valid);
    EXPECT_EQ(job->undeliverableCount, invalid);
    EXPECT_EQ(job->riskyCount, risky);
    EXPECT_EQ(valid + invalid + risky, 6);
}

TYPED_TEST(StoreJobsConformance, PauseStopsLeasesAndResumeRestartsThem) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const Id id = this->numberedJob(acme, 4, 1);
    EXPECT_FALSE(s.setJobPaused(other, id, true, at(50)).has_value()) << "another account's job";

    auto paused = s.setJobPaused(acme, id, true, at(100));
    ASSERT_TRUE(paused.has_value());
    EXPECT_EQ(paused->state, "paused");
    EXPECT_FALSE(s.leaseChunk("w", at(110), kTtl).has_value());
    EXPECT_EQ(s.setJobPaused(acme, id, false, at(120))->state, "pending")
        << "never leased: back to pending";
    const auto lease = s.leaseChunk("w", at(130), kTtl);
    ASSERT_TRUE(lease.has_value());

    EXPECT_EQ(s.setJobPaused(acme, id, true, at(140))->state, "paused");
    EXPECT_EQ(s.setJobPaused(acme, id, true, at(141))->state, "paused") << "pausing twice";
    EXPECT_FALSE(s.leaseChunk("w", at(150), kTtl).has_value());
    EXPECT_TRUE(s.renewLease(*lease, at(160), kTtl)) << "work in flight may finish";
    EXPECT_EQ(s.commitChunk(*lease, resultsFor(s, *lease), at(170)), CommitOutcome::committed);
    EXPECT_EQ(s.setJobPaused(acme, id, false, at(180))->state, "running");
    int leased = 0;
    while (auto next = s.leaseChunk("w", at(190), kTtl)) {
        ++leased;
        s.commitChunk(*next, resultsFor(s, *next), at(200));
    }
    EXPECT_EQ(leased, 3);
    const auto done = s.setJobPaused(acme, id, true, at(210));
    EXPECT_EQ(done->state, "done") << "pausing a done job changes nothing";
    EXPECT_EQ(s.setJobPaused(acme, id, false, at(220))->state, "done");
}

TYPED_TEST(StoreJobsConformance, FailedJobIsNoLongerLeasedAndShowsItsError) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->numberedJob(acme, 4, 2);
    const auto lease = s.leaseChunk("w", at(100), kTtl);
    ASSERT_TRUE(lease.has_value());
    s.failJob(id, "chunk 0 failed 5 times: smtp stage crashed", at(200));
    const auto job = s.findJob(acme, id);
    EXPECT_EQ(job->state, "failed");
    EXPECT_EQ(job->error, "chunk 0 failed 5 times: smtp stage crashed");
    ASSERT_TRUE(job->finishedAt.has_value());
    EXPECT_EQ(*job->finishedAt, at(200));
    EXPECT_FALSE(s.leaseChunk("w", at(300), kTtl).has_value());
    EXPECT_FALSE(s.leaseChunk("w", at(300) + kTtl * 2, kTtl).has_value());
    EXPECT_FALSE(s.renewLease(*lease, at(310), kTtl));
    EXPECT_EQ(s.commitChunk(*lease, resultsFor(s, *lease), at(320)), CommitOutcome::leaseLost);
    EXPECT_EQ(s.setJobPaused(acme, id, true, at(330))->state, "failed");
    s.failJob(id, "again", at(400));
    EXPECT_EQ(s.findJob(acme, id)->error, "chunk 0 failed 5 times: smtp stage crashed");
    s.failJob(id + 100, "no such job", at(400));  // a deleted job: nothing to do

    const Id big = this->numberedJob(acme, 1, 1);
    s.failJob(big, std::string(5000, 'x') + "é", at(500));
    EXPECT_LE(s.findJob(acme, big)->error.size(), 2000u) << "long errors are shortened";
}

TYPED_TEST(StoreJobsConformance, DeleteMidRunDropsInFlightResults) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const Id id = this->numberedJob(acme, 10, 5);
    const Id kept = this->numberedJob(acme, 3, 5);
    const auto lease = s.leaseChunk("w", at(100), kTtl);
    ASSERT_TRUE(lease.has_value());
    ASSERT_EQ(lease->jobId, id);
    const auto results = resultsFor(s, *lease);
    EXPECT_FALSE(s.deleteJob(other, id)) << "another account's job";
    EXPECT_TRUE(s.findJob(acme, id).has_value());
    EXPECT_TRUE(s.deleteJob(acme, id));
    EXPECT_FALSE(s.deleteJob(acme, id)) << "deleted already";
    EXPECT_FALSE(s.renewLease(*lease, at(150), kTtl));
    EXPECT_EQ(s.commitChunk(*lease, results, at(200)), CommitOutcome::leaseLost);
    EXPECT_FALSE(s.findJob(acme, id).has_value());
    EXPECT_TRUE(s.readResults(acme, id, 0, 1000).empty());
    EXPECT_FALSE(s.scanResults(acme, id, {}, [](const ResultRow&) { return true; }));
    const auto next = s.leaseChunk("w", at(300), kTtl);
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->jobId, kept) << "only the other job is left";
    EXPECT_EQ(s.readResults(acme, kept, 0, 10).size(), 3u);
}

TYPED_TEST(StoreJobsConformance, ReadResultsPagesByPositionScopedToTheAccount) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const Id id = this->numberedJob(acme, 2500, 1000);
    const auto lease = s.leaseChunk("w", at(100), kTtl);  // chunk 0 only
    ASSERT_EQ(s.commitChunk(*lease, resultsFor(s, *lease), at(200)), CommitOutcome::committed);

    const auto page0 = s.readResults(acme, id, 0, 1000);
    ASSERT_EQ(page0.size(), 1000u);
    EXPECT_EQ(page0.front().pos, 0);
    EXPECT_EQ(page0.back().pos, 999);
    EXPECT_TRUE(page0.back().result.has_value());
    const auto page1 = s.readResults(acme, id, 1000, 1000);
    ASSERT_EQ(page1.size(), 1000u);
    EXPECT_EQ(page1.front().pos, 1000);
    EXPECT_EQ(page1.front().email, "user1000@example.test");
    EXPECT_FALSE(page1.front().result.has_value()) << "not finished yet";
    const auto middle = s.readResults(acme, id, 2400, 1000);
    ASSERT_EQ(middle.size(), 100u);
    EXPECT_EQ(middle.back().pos, 2499);
    EXPECT_TRUE(s.readResults(acme, id, 2500, 1000).empty()) << "past the end";
    EXPECT_TRUE(s.readResults(acme, id, 1'000'000, 1000).empty());
    EXPECT_EQ(s.readResults(acme, id, 10, 5).size(), 5u);
    EXPECT_TRUE(s.readResults(other, id, 0, 1000).empty()) << "another account's job";
    EXPECT_TRUE(s.readResults(acme, id + 100, 0, 1000).empty());
}

TYPED_TEST(StoreJobsConformance, ScanResultsFiltersPagesAndStopsEarly) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id other = this->account("other");
    const Id id = this->numberedJob(acme, 12'000, 4000);
    for (int i = 0; i < 2; ++i) {  // 8,000 rows finished, 4,000 not
        const auto lease = s.leaseChunk("w", at(100 + i), kTtl);
        ASSERT_EQ(s.commitChunk(*lease, resultsFor(s, *lease), at(200)), CommitOutcome::committed);
    }
    std::vector<std::int64_t> all;
    EXPECT_TRUE(s.scanResults(acme, id, {}, [&](const ResultRow& row) {
        EXPECT_TRUE(row.result.has_value());
        all.push_back(row.pos);
        return true;
    }));
    ASSERT_EQ(all.size(), 8000u);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
    EXPECT_EQ(all.front(), 0);
    EXPECT_EQ(all.back(), 7999);

    std::int64_t invalidOrRisky = 0;
    EXPECT_TRUE(s.scanResults(acme, id, {"invalid", "risky"}, [&](const ResultRow& row) {
        EXPECT_NE(row.result->classifier, "valid");
        EXPECT_EQ(row.result->classifier, classifierFor(row.pos));
        ++invalidOrRisky;
        return true;
    }));
    EXPECT_EQ(invalidOrRisky, 8000 - 2667);

    int seen = 0;
    EXPECT_TRUE(s.scanResults(acme, id, {"valid"}, [&](const ResultRow&) { return ++seen < 3; }));
    EXPECT_EQ(seen, 3);
    EXPECT_FALSE(s.scanResults(other, id, {}, [](const ResultRow&) {
        ADD_FAILURE() << "another account's rows";
        return true;
    }));
}

// Every byte a result or an address may hold comes back as it was written, through the page read
// and the scan (MariaDB reads these over the text protocol, with literals in the SQL), and a
// filter shaped like an injection matches nothing.
TYPED_TEST(StoreJobsConformance, AwkwardTextRoundTripsThroughPagesAndScans) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const std::vector<std::string> emails{"o'brien@example.test", "back\\slash\"q@example.test",
                                          "ünï@exämple.test", "line\nbreak@example.test"};
    const Id id = this->job(acme, emails, 10);
    const auto lease = s.leaseChunk("w", at(100), kTtl);
    ASSERT_TRUE(lease.has_value());
    std::vector<RowResult> results;
    for (std::int64_t pos = 0; pos < 4; ++pos) {
        RowResult r = resultFor(pos);
        r.smtpResponse = "550 5.1.1 'no' \\ \"such\" user\r\n\x1a\0end "s +
                         emails[static_cast<std::size_t>(pos)];
        r.description = "a;b';--";
        r.extraJson = R"({"normalized":"x\"y\\z","free":true})";
        results.push_back(r);
    }
    ASSERT_EQ(s.commitChunk(*lease, results, at(200)), CommitOutcome::jobFinished);

    const auto check = [&](const ResultRow& row) {
        const auto i = static_cast<std::size_t>(row.pos);
        EXPECT_EQ(row.email, emails[i]);
        ASSERT_TRUE(row.result.has_value());
        EXPECT_EQ(row.result->smtpResponse, results[i].smtpResponse);
        EXPECT_EQ(row.result->smtpResponse.size(), results[i].smtpResponse.size());
        EXPECT_EQ(row.result->description, "a;b';--");
        EXPECT_EQ(row.result->extraJson, results[i].extraJson);
    };
    const auto page = s.readResults(acme, id, 0, 1000);
    ASSERT_EQ(page.size(), 4u);
    for (const ResultRow& row : page) {
        check(row);
    }
    int scanned = 0;
    EXPECT_TRUE(s.scanResults(acme, id, {}, [&](const ResultRow& row) {
        check(row);
        return ++scanned > 0;
    }));
    EXPECT_EQ(scanned, 4);
    EXPECT_TRUE(
        s.scanResults(acme, id, {"valid' OR '1'='1", "x\\' OR 1 -- "}, [](const ResultRow& row) {
            ADD_FAILURE() << "row " << row.pos << " matched no classifier";
            return true;
        }));
}

// A scan longer than the back-ends' pages, with stretches of unfinished rows longer than a page
// between finished ones: every finished row comes once, in order, and nothing else.
TYPED_TEST(StoreJobsConformance, ScanResultsCrossesPagesAndUnfinishedStretches) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->numberedJob(acme, 45'000, 5000);  // 9 chunks
    std::vector<ChunkLease> leases;
    for (int i = 0; i < 9; ++i) {
        leases.push_back(*s.leaseChunk("w", at(100 + i), kTtl));
    }
    std::set<std::int64_t> expected;
    for (const ChunkLease& lease : leases) {
        const auto rows = resultsFor(s, lease);
        const std::int64_t chunk = rows.front().pos / 5000;
        if (chunk % 4 == 2 || chunk % 4 == 3) {  // rows 10,000-19,999 and 30,000-39,999
            s.releaseLease(lease);
            continue;
        }
        for (const auto& row : rows) {
            expected.insert(row.pos);
        }
        ASSERT_NE(s.commitChunk(lease, rows, at(200)), CommitOutcome::leaseLost);
    }
    std::vector<std::int64_t> seen;
    EXPECT_TRUE(s.scanResults(acme, id, {}, [&](const ResultRow& row) {
        seen.push_back(row.pos);
        return true;
    }));
    EXPECT_EQ(seen, std::vector<std::int64_t>(expected.begin(), expected.end()));
    EXPECT_EQ(seen.size(), 25'000u);
}

}  // namespace
}  // namespace mailsift::store
