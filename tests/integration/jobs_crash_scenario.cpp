#include "integration/jobs_crash_scenario.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <map>
#include <set>

#include "integration/jobs_crash_environment.h"

namespace mailsift::testing {
namespace {

using Env = JobsCrashEnvironment;

constexpr int kReplyDelayMs = 3;  // per SMTP reply: the job takes seconds, not milliseconds
constexpr int kWorkers = 2;
constexpr int kLeaseTtlMs = 1500;  // the restarted server takes the dead leases over quickly
constexpr int kHeartbeatMs = 300;
constexpr int kJobTimeoutMs = 120000;

const std::string kCommitted = "outcome=\"committed\"";
const std::string kChunks = "mailsift_scheduler_chunks_total";

void printTail(const std::string& what, ServerProcess& server) {
    const std::string err = server.err();
    std::cerr << what << " (pid " << server.pid() << "), standard error (last 3000 bytes):\n"
              << err.substr(err.size() > 3000 ? err.size() - 3000 : 0) << "\n";
}

}  // namespace

void expectJobSurvivesKill(const std::string& storeUrl) {
    Env env(kReplyDelayMs);
    const int killFrom = Env::kRows / 10;
    const int killUntil = Env::kRows * 9 / 10;

    // 1. The first server takes the job and is killed in the middle of it.
    ServerFixture first(
        {.storeUrl = storeUrl, .extraYaml = env.serverYaml(kWorkers, kLeaseTtlMs, kHeartbeatMs)});
    const std::string key = findKey(first.run({"keys", "create", "--account", "acme"}).out);
    ASSERT_FALSE(key.empty());
    auto victim = first.serve();
    const JobsApi victimApi(first, *victim, key);
    const std::int64_t id = victimApi.upload(env.csv());
    ASSERT_GT(id, 0);
    std::int64_t seen = 0;
    ASSERT_TRUE(waitUntil(
        [&] {
            seen = victimApi.finishedRows(id);
            return seen >= killFrom;
        },
        kJobTimeoutMs))
        << "the job did not start: " << victimApi.state(id);
    const double committedBeforeKill = victimApi.metric(kChunks, kCommitted);
    ASSERT_EQ(victim->stop(SIGKILL), 128 + SIGKILL);
    ASSERT_LE(seen, killUntil) << "the job ran too fast to be killed in its middle";
    ASSERT_TRUE(env.smtp().waitIdle(std::chrono::milliseconds(10000)));
    const std::map<std::string, int> probedBeforeKill = env.rcptCounts();

    // 2. A server without workers shows what the store kept: whole chunks, nothing half-written.
    ServerFixture idle(
        {.storeUrl = storeUrl, .extraYaml = env.serverYaml(0, kLeaseTtlMs, kHeartbeatMs)});
    auto inspector = idle.serve();
    const std::int64_t kept = JobsApi(idle, *inspector, key).finishedRows(id);
    EXPECT_EQ(JobsApi(idle, *inspector, key).state(id), "running");
    EXPECT_EQ(inspector->stop(SIGTERM), 0);
    EXPECT_GE(kept, seen) << "finished rows went missing in the crash";
    EXPECT_EQ(kept % Env::kFirstPerChunk, 0) << "a chunk was half committed";
    const int chunksBefore = static_cast<int>(kept / Env::kFirstPerChunk);
    EXPECT_GE(chunksBefore, static_cast<int>(committedBeforeKill));
    EXPECT_LT(chunksBefore, Env::kChunks);

    // 3. The restarted server takes over the dead leases and finishes the job.
    ServerFixture second(
        {.storeUrl = storeUrl, .extraYaml = env.serverYaml(kWorkers, kLeaseTtlMs, kHeartbeatMs)});
    auto survivor = second.serve();
    const JobsApi api(second, *survivor, key);
    ASSERT_TRUE(waitUntil([&] { return api.state(id) == "done"; }, kJobTimeoutMs))
        << api.state(id) << ", " << api.finishedRows(id) << " rows finished";
    api.expectCompleteJob(id, env);

    // 4. The restarted process committed exactly the chunks the store did not hold yet.
    const int redo = Env::kChunks - chunksBefore;
    EXPECT_EQ(api.metric(kChunks, kCommitted), redo);
    EXPECT_EQ(api.metric(kChunks, "outcome=\"lost\""), 0);
    EXPECT_EQ(api.metric(kChunks, "outcome=\"failed\""), 0);
    EXPECT_EQ(api.metric("mailsift_scheduler_rows_validated_total"), redo * Env::kFirstPerChunk);

    // 5. Mailbox probes (RCPT TO at the fake servers): every probed address of a chunk committed
    //    before the kill was probed once, by the killed process; every probed address of the
    //    other chunks exactly once by the restarted process; twice only in chunks that the killed
    //    process had in flight (at most one per worker).
    const std::map<std::string, int> probed = env.rcptCounts();
    std::set<int> redoneChunks;
    std::set<int> twiceChunks;
    int unexpected = 0;
    for (int pos = 0; pos < Env::kRows; ++pos) {
        if (!env.isProbed(pos))
            continue;
        const std::string& email = env.emails()[static_cast<std::size_t>(pos)];
        const auto count = [&email](const std::map<std::string, int>& counts) {
            const auto it = counts.find(email);
            return it == counts.end() ? 0 : it->second;
        };
        const int before = count(probedBeforeKill);
        const int after = count(probed) - before;
        if (after == 1)
            redoneChunks.insert(pos / Env::kChunkSize);
        if (before == 1 && after == 1)
            twiceChunks.insert(pos / Env::kChunkSize);
        if (before > 1 || after > 1 || before + after == 0) {
            if (++unexpected <= 5)
                ADD_FAILURE() << email << " probed " << before << " time(s) before the kill and "
                              << after << " after";
        }
    }
    EXPECT_EQ(unexpected, 0);
    EXPECT_EQ(static_cast<int>(redoneChunks.size()), redo);
    EXPECT_LE(static_cast<int>(twiceChunks.size()), kWorkers);
    for (int chunk : redoneChunks) {  // a redone chunk was redone whole
        for (int pos = chunk * Env::kChunkSize; pos < (chunk + 1) * Env::kChunkSize; ++pos) {
            if (env.isProbed(pos)) {
                const std::string& email = env.emails()[static_cast<std::size_t>(pos)];
                const auto before = probedBeforeKill.find(email);
                EXPECT_EQ(
                    probed.at(email) - (before == probedBeforeKill.end() ? 0 : before->second), 1)
                    << email;
            }
        }
    }
    EXPECT_EQ(env.smtp().dataCommands(), 0);
    std::cerr << "killed at " << seen << " finished rows; the store kept " << chunksBefore
              << " chunks; redone " << redoneChunks.size() << ", of them probed twice "
              << twiceChunks.size() << "\n";
    if (::testing::Test::HasFailure())
        printTail("restarted server", *survivor);
    EXPECT_EQ(survivor->stop(SIGTERM), 0);
}

}  // namespace mailsift::testing
