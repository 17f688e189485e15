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
