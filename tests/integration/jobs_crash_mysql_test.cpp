// Crash safety and more than one process on MariaDB (DESIGN sections 5 and 7): a server killed
// with SIGKILL in the middle of a 20,000-row job is restarted and the job finishes with exactly
// one result per row; and two server processes on one database share one job, both doing work,
// with no chunk committed twice and no mailbox probed twice.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <map>

#include "integration/jobs_crash_environment.h"
#include "integration/jobs_crash_scenario.h"

using namespace mailsift::testing;

namespace {

using Env = JobsCrashEnvironment;

constexpr int kReplyDelayMs = 3;
constexpr int kWorkersPerProcess = 2;
constexpr int kLeaseTtlMs = 10000;  // long enough that no lease is lost to a slow heartbeat
constexpr int kHeartbeatMs = 300;

const std::string kChunks = "mailsift_scheduler_chunks_total";

}  // namespace

TEST(JobsCrashMysql, MariaDbJobFinishesOnceAfterSigkill) {
    const std::string url = freshMariaDbUrl("kill");
    ASSERT_FALSE(url.empty());
    expectJobSurvivesKill(url);
}

TEST(JobsCrashMysql, TwoProcessesShareOneJobWithoutDoingAnyRowTwice) {
    const std::string url = freshMariaDbUrl("two");
    ASSERT_FALSE(url.empty());
    Env env(kReplyDelayMs);
    const std::string yaml = env.serverYaml(kWorkersPerProcess, kLeaseTtlMs, kHeartbeatMs);
    ServerFixture fixtureA({.storeUrl = url, .extraYaml = yaml});
    const std::string key = findKey(fixtureA.run({"keys", "create", "--account", "acme"}).out);
    ASSERT_FALSE(key.empty());
    ServerFixture fixtureB({.storeUrl = url, .extraYaml = yaml});
    auto a = fixtureA.serve();
    auto b = fixtureB.serve();
    EXPECT_TRUE(fixtureB.bootstrapKey().empty()) << "the account exists: no bootstrap";
    ASSERT_NE(a->port(), b->port());
    const JobsApi apiA(fixtureA, *a, key);
    const JobsApi apiB(fixtureB, *b, key);

    const std::int64_t id = apiA.upload(env.csv());
    ASSERT_GT(id, 0);
    ASSERT_TRUE(waitUntil([&] { return apiB.state(id) == "done"; }, 120000))
        << apiB.state(id) << ", " << apiB.finishedRows(id) << " rows finished";
    apiA.expectCompleteJob(id, env);
    apiB.expectCompleteJob(id, env);

    // (a) Both processes worked; (b) together they committed every chunk exactly once.
    const double committedA = apiA.metric(kChunks, "outcome=\"committed\"");
    const double committedB = apiB.metric(kChunks, "outcome=\"committed\"");
    std::cerr << "committed chunks: A " << committedA << ", B " << committedB << "\n";
    EXPECT_GT(committedA, 0);
    EXPECT_GT(committedB, 0);
    EXPECT_EQ(committedA + committedB, Env::kChunks);
    EXPECT_EQ(apiA.metric(kChunks, "outcome=\"lost\"") + apiB.metric(kChunks, "outcome=\"lost\""),
              0);
    EXPECT_EQ(
        apiA.metric(kChunks, "outcome=\"finished\"") + apiB.metric(kChunks, "outcome=\"finished\""),
        1);
    EXPECT_EQ(apiA.metric("mailsift_scheduler_rows_validated_total") +
                  apiB.metric("mailsift_scheduler_rows_validated_total"),
              Env::kChunks * Env::kFirstPerChunk);

    // Every mailbox was probed exactly once, by one of the two processes.
    const std::map<std::string, int> probed = env.rcptCounts();
    int wrong = 0;
    for (int pos = 0; pos < Env::kRows; ++pos) {
        if (!env.isProbed(pos))
            continue;
        const std::string& email = env.emails()[static_cast<std::size_t>(pos)];
        const auto it = probed.find(email);
        const int count = it == probed.end() ? 0 : it->second;
        if (count != 1 && ++wrong <= 5)
            ADD_FAILURE() << email << " probed " << count << " times";
    }
    EXPECT_EQ(wrong, 0);
    EXPECT_EQ(env.smtp().dataCommands(), 0);
    EXPECT_EQ(a->stop(SIGTERM), 0) << a->err();
    EXPECT_EQ(b->stop(SIGTERM), 0) << b->err();
}
