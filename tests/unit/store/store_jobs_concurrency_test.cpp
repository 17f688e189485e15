// Job leasing under concurrency, on every back-end: many threads on two Store instances, two
// processes on one job, and a timing smoke (StoreJobsConcurrency/Sqlite.*, .../Mysql.*).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "store_jobs_fixture.h"

namespace mailsift::store {
namespace {

using std::chrono::milliseconds;
using testing::at;
using testing::kTtl;
using testing::resultsFor;

template <class Backend>
using StoreJobsConcurrency = testing::StoreJobsFixture<Backend>;
TYPED_TEST_SUITE(StoreJobsConcurrency, testing::Backends, testing::BackendNames);

TYPED_TEST(StoreJobsConcurrency, ConcurrentOwnersNeverShareALiveLease) {
    constexpr int kChunks = 120;
    constexpr int kServers = 2;
    constexpr int kThreadsPerServer = 4;
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id globex = this->account("globex");
    const Id a = this->numberedJob(acme, kChunks / 2 * 3, 3);
    const Id b = this->numberedJob(globex, kChunks / 2 * 3, 3);
    // Two Store instances stand for two server processes, each with its own connections.
    std::vector<std::unique_ptr<Store>> servers;
    for (int i = 0; i < kServers; ++i) {
        servers.push_back(this->backend_.open(kThreadsPerServer));
    }
    std::mutex mutex;
    std::map<std::pair<Id, std::int64_t>, int> leasedBy;
    std::vector<std::string> errors;
    std::atomic<int> finished{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kServers * kThreadsPerServer; ++t) {
        threads.emplace_back([&, t] {
            Store& server = *servers[static_cast<std::size_t>(t % kServers)];
            const std::string owner =
                "server" + std::to_string(t % kServers) + "-worker" + std::to_string(t);
            try {
                while (auto lease = server.leaseChunk(owner, at(1000), kTtl)) {
                    {
                        std::lock_guard lock(mutex);
                        ++leasedBy[{lease->jobId, lease->chunkNo}];
                    }
                    const auto outcome =
                        server.commitChunk(*lease, resultsFor(server, *lease), at(2000));
                    if (outcome == CommitOutcome::leaseLost) {
                        throw std::runtime_error("lost a live lease");
                    }
                    if (outcome == CommitOutcome::jobFinished) {
                        ++finished;
                    }
                }
            } catch (const std::exception& e) {
                std::lock_guard lock(mutex);
                errors.push_back(owner + ": " + e.what());
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_EQ(leasedBy.size(), static_cast<std::size_t>(kChunks));
    for (const auto& [chunk, count] : leasedBy) {
        EXPECT_EQ(count, 1) << "job " << chunk.first << " chunk " << chunk.second;
    }
    EXPECT_EQ(finished.load(), 2) << "each job finished exactly once";
    for (const auto& [account, job] : {std::pair{acme, a}, std::pair{globex, b}}) {
        const auto record = s.findJob(account, job);
        EXPECT_EQ(record->state, "done");
        EXPECT_EQ(record->totalEmails, kChunks / 2 * 3);
        EXPECT_EQ(record->deliverableCount + record->undeliverableCount + record->riskyCount,
                  kChunks / 2 * 3);
    }
}

TYPED_TEST(StoreJobsConcurrency, TwoServerProcessesShareOneJob) {
    // Two real processes (fork), each with its own Store and connections, work on one job: both
    // get chunks, no chunk is processed twice, and the job's counters equal its rows.
    constexpr int kRows = 600;
    constexpr int kProcesses = 2;
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = this->numberedJob(acme, kRows, 5);
    const std::string dir = ::testing::TempDir();
    std::vector<pid_t> children;
    std::vector<std::string> logs;
    for (int p = 0; p < kProcesses; ++p) {
        logs.push_back(dir + "/mailsift-lease-log-" + std::to_string(::getpid()) + "-" +
                       std::to_string(p));
        const pid_t child = ::fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            int code = 0;
            try {
                auto server = this->backend_.open(2);
                std::FILE* log = std::fopen(logs.back().c_str(), "w");
                const std::string owner = "process-" + std::to_string(::getpid());
                while (auto lease = server->leaseChunk(owner, at(1000), kTtl)) {
                    const auto outcome =
                        server->commitChunk(*lease, resultsFor(*server, *lease), at(2000));
                    std::fprintf(log, "%lld %d\n", static_cast<long long>(lease->chunkNo),
                                 static_cast<int>(outcome));
                    std::fflush(log);
                    std::this_thread::sleep_for(milliseconds(1));  // let the other one in
                }
                std::fclose(log);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "child: %s\n", e.what());
                code = 1;
            }
            std::_Exit(code);
        }
        children.push_back(child);
    }
    for (pid_t child : children) {
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    std::map<std::int64_t, int> leases;
    int finished = 0;
    for (const auto& path : logs) {
        std::FILE* log = std::fopen(path.c_str(), "r");
        ASSERT_NE(log, nullptr);
        long long chunk = 0;
        int outcome = 0;
        int mine = 0;
        while (std::fscanf(log, "%lld %d", &chunk, &outcome) == 2) {
            ++leases[chunk];
            ++mine;
            EXPECT_NE(outcome, static_cast<int>(CommitOutcome::leaseLost));
            finished += outcome == static_cast<int>(CommitOutcome::jobFinished) ? 1 : 0;
        }
        std::fclose(log);
        std::remove(path.c_str());
        EXPECT_GT(mine, 0) << "process " << path << " did no work";
        std::printf("[two processes] %s committed %d chunks\n", path.c_str(), mine);
    }
    EXPECT_EQ(leases.size(), static_cast<std::size_t>(kRows / 5));
    for (const auto& [chunk, count] : leases) {
        EXPECT_EQ(count, 1) << "chunk " << chunk;
    }
    EXPECT_EQ(finished, 1);
    const auto job = s.findJob(acme, id);
    EXPECT_EQ(job->state, "done");
    EXPECT_EQ(job->totalEmails, kRows);
    EXPECT_EQ(job->deliverableCount + job->undeliverableCount + job->riskyCount, kRows);
}

// Ingestion writes the batches of one upload on several connections at once: every row lands,
// the count is exact, and the job seals into the right chunks.
TYPED_TEST(StoreJobsConcurrency, BatchesOfOneJobAppendedInParallel) {
    constexpr int kThreads = 4;
    constexpr int kBatchesPerThread = 6;
    constexpr int kBatch = 500;
    constexpr std::int64_t kRows = std::int64_t{kThreads} * kBatchesPerThread * kBatch;
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = s.createJob(NewJob{acme, "list", "file", std::nullopt, ""}, at(10)).id;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                // Batch b of all threads goes out together: neighbouring ranges, at once.
                for (int b = 0; b < kBatchesPerThread; ++b) {
                    const std::int64_t first = (std::int64_t{b} * kThreads + t) * kBatch;
                    std::vector<JobRow> rows;
                    for (std::int64_t pos = first; pos < first + kBatch; ++pos) {
                        rows.push_back(JobRow{pos, "u" + std::to_string(pos) + "@x.test", -1});
                    }
                    s.appendRows(id, rows);
                }
            } catch (const std::exception& e) {
                ADD_FAILURE() << e.what();
                ++failures;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    ASSERT_EQ(failures.load(), 0);
    EXPECT_EQ(s.findJob(acme, id)->emailCount, kRows);
    std::int64_t expected = 0;
    for (std::int64_t from = 0; from < kRows; from += 1000) {
        for (const ResultRow& row : s.readResults(acme, id, from, 1000)) {
            ASSERT_EQ(row.pos, expected);
            ASSERT_EQ(row.email, "u" + std::to_string(expected) + "@x.test");
            ++expected;
        }
    }
    EXPECT_EQ(expected, kRows);
    s.sealJob(id, 1000, at(20));
    int chunks = 0;
    while (auto lease = s.leaseChunk("w", at(30), kTtl)) {
        EXPECT_EQ(s.leasedRows(*lease).size(), 1000u);
        ++chunks;
    }
    EXPECT_EQ(chunks, kRows / 1000);
}

// A batch that commits after the job was sealed or deleted stores nothing, even when it was
// written while the job was still open; the count stays that of the rows kept.
TYPED_TEST(StoreJobsConcurrency, AppendsRacingSealAndDeleteStoreNothingLate) {
    Store& s = this->store();
    const Id acme = this->account("acme");
    for (const bool del : {false, true}) {
        const Id id = s.createJob(NewJob{acme, "list", "file", std::nullopt, ""}, at(10)).id;
        s.appendRows(id, {{0, "first@x.test", -1}});
        std::atomic<bool> stop{false};
        std::atomic<std::int64_t> stored{1};
        std::atomic<std::int64_t> next{1};
        std::vector<std::thread> writers;
        for (int t = 0; t < 3; ++t) {
            writers.emplace_back([&] {
                while (!stop) {
                    const std::int64_t first = next.fetch_add(200);
                    std::vector<JobRow> rows;
                    for (std::int64_t pos = first; pos < first + 200; ++pos) {
                        rows.push_back(JobRow{pos, "r@x.test", -1});
                    }
                    try {
                        s.appendRows(id, rows);
                        stored += 200;
                    } catch (const StoreError&) {
                        return;  // sealed or deleted: the batch is refused as a whole
                    }
                }
            });
        }
        std::this_thread::sleep_for(milliseconds(50));
        if (del) {
            ASSERT_TRUE(s.deleteJob(acme, id));
        } else {
            s.sealJob(id, 100, at(20));
        }
        stop = true;
        for (auto& writer : writers) {
            writer.join();
        }
        if (del) {
            EXPECT_FALSE(s.findJob(acme, id).has_value());
            EXPECT_TRUE(s.readResults(acme, id, 0, 1000).empty());
            continue;
        }
        const auto job = s.findJob(acme, id);
        ASSERT_TRUE(job.has_value());
        EXPECT_EQ(job->emailCount, stored.load()) << "rows counted are the rows kept";
        std::int64_t rows = 0;
        for (std::int64_t from = 0;;) {  // pages go on past the gaps refused batches left
            const auto page = s.readResults(acme, id, from, 1000);
            if (page.empty()) {
                break;
            }
            rows += static_cast<std::int64_t>(page.size());
            from = page.back().pos + 1;
        }
        EXPECT_EQ(rows, stored.load()) << "no row of a refused batch was kept";
        EXPECT_THROW(s.appendRows(id, {{next.load(), "late@x.test", -1}}), StoreError);
    }
}

TYPED_TEST(StoreJobsConcurrency, TimingSmokeAppendAndRead) {
    // Not a benchmark with a threshold: prints what this machine does, for the record.
    constexpr int kRows = 100'000;
    constexpr int kBatch = 10'000;
    Store& s = this->store();
    const Id acme = this->account("acme");
    const Id id = s.createJob(NewJob{acme, "timing", "file", std::nullopt, ""}, at(1)).id;
    const auto start = std::chrono::steady_clock::now();
    for (int b = 0; b < kRows / kBatch; ++b) {
        std::vector<JobRow> rows;
        rows.reserve(kBatch);
        for (int i = 0; i < kBatch; ++i) {
            const std::int64_t pos = std::int64_t{b} * kBatch + i;
            rows.push_back({pos, "someone." + std::to_string(pos) + "@example-domain.test", -1});
        }
        s.appendRows(id, rows);
    }
    const double appendSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s.sealJob(id, 1000, at(2));
    EXPECT_EQ(s.findJob(acme, id)->emailCount, kRows);

    std::vector<double> readMs;
    for (std::int64_t pos = 0; pos < kRows; pos += 4999) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto page = s.readResults(acme, id, pos, 1000);
        readMs.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
        EXPECT_EQ(page.size(), static_cast<std::size_t>(std::min<std::int64_t>(1000, kRows - pos)));
    }
    std::sort(readMs.begin(), readMs.end());
    std::printf(
        "[timing] %s: appendRows %d rows in %.3f s = %.0f rows/s; readResults(1000) "
        "median %.2f ms, max %.2f ms\n",
        TypeParam::kName, kRows, appendSeconds, kRows / appendSeconds, readMs[readMs.size() / 2],
        readMs.back());
}

}  // namespace
}  // namespace mailsift::store
