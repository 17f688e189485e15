// Graceful shutdown: SIGTERM while a 20,000-row job runs on the fake DNS and SMTP servers. The
// server stops leasing, lets its chunks in flight finish within jobs.shutdown_grace_ms or gives
// them back, and exits 0 in its ordered sequence (listener, workers, store). The leases are long
// (5 minutes), so a chunk that was not given back would hold the job past the test's timeout: the
// next start must finish the job at once, with exactly one right result per row.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <regex>

#include "integration/jobs_crash_environment.h"

using namespace mailsift::testing;

namespace {

using Env = JobsCrashEnvironment;
using Clock = std::chrono::steady_clock;

constexpr int kReplyDelayMs = 3;
constexpr int kWorkers = 2;
constexpr int kLeaseTtlMs = 300000;
constexpr int kHeartbeatMs = 1000;
constexpr int kJobTimeoutMs = 120000;

void printTail(const std::string& what, ServerProcess& server) {
    const std::string err = server.err();
    std::cerr << what << ", standard error (last 3000 bytes):\n"
              << err.substr(err.size() > 3000 ? err.size() - 3000 : 0) << "\n";
}

TEST(Shutdown, SigtermDuringAJobExitsCleanlyAndTheNextStartFinishesIt) {
    Env env(kReplyDelayMs);
    TempDir shared;
    const std::string storeUrl = "sqlite://" + shared.file("mailsift.db");
    const std::string yaml = env.serverYaml(kWorkers, kLeaseTtlMs, kHeartbeatMs);
    // No grace: the chunks in flight are cancelled and must be given back, not left leased.
    const std::string grace = "  shutdown_grace_ms: 0\n";  // appended to the jobs block

    ServerFixture first({.storeUrl = storeUrl, .extraYaml = yaml + grace});
    const std::string key = findKey(first.run({"keys", "create", "--account", "acme"}).out);
    ASSERT_FALSE(key.empty());
    auto server = first.serve();
    const JobsApi api(first, *server, key);
    const std::int64_t id = api.upload(env.csv());
    ASSERT_GT(id, 0);
    std::int64_t seen = 0;
    ASSERT_TRUE(waitUntil(
        [&] {
            seen = api.finishedRows(id);
            return seen >= Env::kRows / 10;
        },
        kJobTimeoutMs));
    ASSERT_LT(seen, Env::kRows * 9 / 10) << "the job ran too fast to be stopped in its middle";

    const auto signalled = Clock::now();
    const int exitCode = server->stop(SIGTERM);
    const double seconds = std::chrono::duration<double>(Clock::now() - signalled).count();
    const std::string log = server->err();
    if (exitCode != 0 || HasFailure())
        printTail("first server", *server);
    EXPECT_EQ(exitCode, 0);
    EXPECT_LT(seconds, 15.0) << "no grace: a chunk's checks stop when cancelled";
    // The steps ran in their order.
    const auto listener = log.find("shutdown: http listener stopped");
    const auto workers = log.find("shutdown: job workers stopped");
    const auto store = log.find("shutdown: store stopped");
    ASSERT_NE(listener, std::string::npos) << log;
    ASSERT_NE(workers, std::string::npos);
    ASSERT_NE(store, std::string::npos);
    EXPECT_LT(listener, workers);
    EXPECT_LT(workers, store);
    const auto stopped = log.find("scheduler: stopped leasing; of ");
    ASSERT_NE(stopped, std::string::npos);
    const std::string line = log.substr(stopped, log.find('\n', stopped) - stopped);
    std::cout << line << " (after " << seconds << " s)\n";
    std::smatch counts;
    ASSERT_TRUE(
        std::regex_search(line, counts, std::regex(R"((\d+) were cancelled, (\d+) given back)")));
    EXPECT_EQ(counts[1], counts[2]) << "every cancelled chunk goes back to the store";
    EXPECT_NE(log.find("shut down cleanly"), std::string::npos);

    // The next start takes the given-back chunks at once (the leases would last 5 minutes).
    ServerFixture second({.storeUrl = storeUrl, .extraYaml = yaml});
    auto next = second.serve();
    const JobsApi nextApi(second, *next, key);
    const bool done = waitUntil([&] { return nextApi.state(id) == "done"; }, kJobTimeoutMs);
    if (!done)
        printTail("second server", *next);
    ASSERT_TRUE(done) << "rows " << nextApi.finishedRows(id) << " of " << Env::kRows;
    nextApi.expectCompleteJob(id, env);
    EXPECT_EQ(next->stop(SIGTERM), 0);
}

}  // namespace
