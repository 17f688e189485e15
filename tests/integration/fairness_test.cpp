// Fairness under load: 10 accounts create 50 jobs at once (5 each, 200 rows on the fake DNS and
// SMTP servers) while other clients keep reading. Every job finishes with exact counters, and no
// account waits for the others: each account's first job has started before any account's last
// job has finished (measured by polling every account's job list).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "integration/jobs_crash_environment.h"

using namespace mailsift::testing;

namespace {

using Env = JobsCrashEnvironment;
using Clock = std::chrono::steady_clock;

constexpr int kAccounts = 10;
constexpr int kJobsPerAccount = 5;
constexpr int kRowsPerJob = 200;  // two chunks of Env::kChunkSize
constexpr int kReaders = 4;
constexpr int kTimeoutMs = 180000;

const std::string kJobs = "/v1/email/validate/job";

/// When the poller first saw a job out of pending, and first saw it done (seconds from the start).
struct Seen {
    double active = -1;
    double done = -1;
};

TEST(Fairness, FiftyJobsOfTenAccountsAllFinishAndNoAccountStarves) {
    Env env(2);
    ServerFixture fixture({.extraYaml = env.serverYaml(4, 60000, 1000),
                           .httpYaml = "  threads: 16\n  rate_limit: {requests_per_second: 0}\n"});
    std::vector<std::string> keys;
    for (int a = 0; a < kAccounts; ++a) {
        keys.push_back(
            findKey(fixture.run({"keys", "create", "--account", "acct" + std::to_string(a)}).out));
        ASSERT_FALSE(keys.back().empty());
    }
    const std::string readerKey =
        findKey(fixture.run({"keys", "create", "--account", "reader"}).out);
    auto server = fixture.serve();
    const HttpClient client = fixture.client(*server);
    const auto start = Clock::now();
    const auto since = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

    // Readers all along.
    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::atomic<int> badReads{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < kReaders; ++r) {
        readers.emplace_back([&] {
            while (!stop) {
                try {
                    const int list = client.get(kJobs, readerKey).status;
                    const int missing = client.get(kJobs + "/999999", readerKey).status;
                    reads += 2;
                    if (list != 200 || missing != 404)
                        ++badReads;
                } catch (const std::exception&) {
                    ++badReads;
                }
            }
        });
    }

    // 50 uploads at once; job j of account a holds rows (a * 5 + j) * 200 ... + 199 of the world.
    std::vector<std::int64_t> ids(kAccounts * kJobsPerAccount, 0);
    std::vector<std::thread> uploads;
    for (int a = 0; a < kAccounts; ++a) {
        for (int j = 0; j < kJobsPerAccount; ++j) {
            uploads.emplace_back([&, a, j] {
                const int n = a * kJobsPerAccount + j;
                std::string csv = "email\n";
                for (int i = 0; i < kRowsPerJob; ++i)
                    csv += env.emails()[static_cast<std::size_t>(n * kRowsPerJob + i)] + "\n";
                ids[static_cast<std::size_t>(n)] = JobsApi(fixture, *server, keys[a]).upload(csv);
            });
        }
    }
    for (auto& t : uploads)
        t.join();
    ASSERT_TRUE(std::all_of(ids.begin(), ids.end(), [](std::int64_t id) { return id > 0; }));

    // Poll every account's list until every job is done.
    std::map<std::int64_t, Seen> seen;
    Poco::JSON::Parser parser;
    const bool allDone = waitUntil(
        [&] {
            int done = 0;
            for (int a = 0; a < kAccounts; ++a) {
                const auto response = client.get(kJobs, keys[a]);
                if (response.status != 200)
                    continue;
                parser.reset();
                const auto list = parser.parse(response.body).extract<Poco::JSON::Array::Ptr>();
                for (std::size_t i = 0; i < list->size(); ++i) {
                    const auto job = list->getObject(static_cast<unsigned>(i));
                    Seen& s = seen[job->getValue<std::int64_t>("id")];
                    const std::string state = job->getValue<std::string>("state");
                    if (s.active < 0 && state != "pending")
                        s.active = since();
                    if (s.done < 0 && state == "done")
                        s.done = since();
                    done += state == "done" ? 1 : 0;
                }
            }
            return done == kAccounts * kJobsPerAccount;
        },
        kTimeoutMs);
    stop = true;
    for (auto& t : readers)
        t.join();
    ASSERT_TRUE(allDone) << "not every job finished";
    EXPECT_GT(reads.load(), 100);
    EXPECT_EQ(badReads.load(), 0) << "a reader got a wrong answer while the jobs ran";

    // Exact counters, job by job.
    for (int a = 0; a < kAccounts; ++a) {
        const JobsApi api(fixture, *server, keys[a]);
        for (int j = 0; j < kJobsPerAccount; ++j) {
            const int n = a * kJobsPerAccount + j;
            const auto job = api.job(ids[static_cast<std::size_t>(n)]);
            ASSERT_TRUE(job);
            const auto first = env.expected().begin() + n * kRowsPerJob;
            const auto last = first + kRowsPerJob;
            const auto summary = job->getObject("summary");
            EXPECT_EQ(job->getValue<std::int64_t>("emailCount"), kRowsPerJob);
            EXPECT_EQ(summary->getValue<std::int64_t>("totalEmails"), kRowsPerJob);
            EXPECT_EQ(summary->getValue<std::int64_t>("deliverableCount"),
                      std::count(first, last, "valid"));
            EXPECT_EQ(summary->getValue<std::int64_t>("undeliverableCount"),
                      std::count(first, last, "invalid"));
            EXPECT_EQ(summary->getValue<std::int64_t>("riskyCount"),
                      std::count(first, last, "risky"));
        }
    }
    // Each address that is a first occurrence in its job was validated once, none twice.
    const double firstOccurrences =
        kAccounts * kJobsPerAccount * kRowsPerJob / 100.0 * Env::kFirstPerChunk;
    EXPECT_EQ(JobsApi(fixture, *server, keys[0]).metric("mailsift_scheduler_rows_validated_total"),
              firstOccurrences);

    // Fairness: the last account to get its first job going did so before the first account to
    // have all its jobs done got there.
    double latestFirstStart = 0;
    double earliestLastDone = 1e9;
    for (int a = 0; a < kAccounts; ++a) {
        double firstStart = 1e9;
        double lastDone = 0;
        for (int j = 0; j < kJobsPerAccount; ++j) {
            const Seen& s = seen[ids[static_cast<std::size_t>(a * kJobsPerAccount + j)]];
            firstStart = std::min(firstStart, s.active);
            lastDone = std::max(lastDone, s.done);
        }
        std::cout << "account " << a << ": first job started at " << firstStart
                  << " s, last job done at " << lastDone << " s\n";
        latestFirstStart = std::max(latestFirstStart, firstStart);
        earliestLastDone = std::min(earliestLastDone, lastDone);
    }
    EXPECT_LT(latestFirstStart, earliestLastDone)
        << "an account's first job waited until another account had finished all of its jobs";
    EXPECT_EQ(server->stop(SIGTERM), 0);
}

}  // namespace
