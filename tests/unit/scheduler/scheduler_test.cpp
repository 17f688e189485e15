// The Scheduler on a real SQLite store, with the real syntax and lists stages followed by a test
// stage that counts the addresses it sees and can hold a batch until it is cancelled.
#include "scheduler/scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <sstream>
#include <thread>

#include "engine/pipeline.h"
#include "engine/validator.h"
#include "jobs/job_service.h"
#include "jobs/job_test_env.h"

namespace mailsift::scheduler {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

/// Counts the items it sees; while `hold` is set it keeps each batch until the batch is cancelled
/// (or its deadline passes).
class CountingStage final : public ValidatorStage {
  public:
    void run(Batch& batch, StageContext&) override {
        items += static_cast<int>(batch.items.size());
        ++batches;
        while (hold && !batch.shouldStop())
            std::this_thread::sleep_for(milliseconds(2));
        if (batch.cancelled())
            ++cancelled;
    }
    std::atomic<int> items{0};
    std::atomic<int> batches{0};
    std::atomic<int> cancelled{0};
    std::atomic<bool> hold{false};
};

bool waitFor(const std::function<bool()>& done, milliseconds timeout = milliseconds(20000)) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
        if (done())
            return true;
        std::this_thread::sleep_for(milliseconds(5));
    }
    return done();
}

class SchedulerTest : public ::testing::Test {
  protected:
    SchedulerTest() {
        std::vector<ValidatorStage*> stages = env_.plugins().stages();
        stages.push_back(&counter_);
        pipeline_ = std::make_unique<engine::Pipeline>(
            stages, std::vector<std::string>{"syntax", "lists", "counting"}, env_.hostApi(),
            Poco::Logger::get("scheduler_test"));
        validator_ = std::make_unique<engine::Validator>(*pipeline_);
        config_.workers = 2;
        config_.chunkSize = 10;
        config_.leaseTtlMs = 2000;
        config_.heartbeatMs = 50;
        config_.pollMs = 20;
        config_.maxAttempts = 3;
        config_.chunkTimeoutMs = 30000;
    }

    std::unique_ptr<Scheduler> makeScheduler(const std::string& node) {
        return std::make_unique<Scheduler>(env_.store(), *validator_, config_, metrics_,
                                           Poco::Logger::get("scheduler_test"), node);
    }

    /// A job of `rows` rows through the real input connector; every third address repeats.
    store::Id createJob(int rows, int distinct) {
        jobs::JobServiceOptions options;
        options.chunkSize = config_.chunkSize;
        jobs::JobService service(env_.store(),
                                 [this](std::string_view name) { return env_.connector(name); },
                                 options, {});
        std::string input;
        for (int i = 0; i < rows; ++i)
            input += "user" + std::to_string(i % distinct) + "@example.com\n";
        jobs::CreateJobRequest request;
        request.source = "input";
        request.input = input;
        return service.create(account_, request);
    }

    store::JobRecord job(store::Id id) { return *env_.store().findJob(account_, id); }
    bool done(store::Id id) { return job(id).state == "done"; }
    double counter(const std::string& outcome) {
        return metrics_.counter("mailsift_scheduler_chunks_total", "", {{"outcome", outcome}})
            .value();
    }

    testing::JobTestEnv env_{true};
    store::Id account_ = env_.account("acme");
    CountingStage counter_;
    std::unique_ptr<engine::Pipeline> pipeline_;
    std::unique_ptr<engine::Validator> validator_;
    config::JobsConfig config_;
    metrics::Registry metrics_;
};

TEST_F(SchedulerTest, FinishesAJobWithOneResultPerRowAndMatchingCounters) {
    const store::Id id = createJob(95, 95);
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return done(id); })) << job(id).state;
    scheduler->stop(milliseconds(1000));

    const store::JobRecord finished = job(id);
    EXPECT_EQ(finished.totalEmails, 95);
    EXPECT_EQ(finished.deliverableCount + finished.undeliverableCount + finished.riskyCount, 95);
    EXPECT_TRUE(finished.finishedAt.has_value());
    const auto rows = env_.store().readResults(account_, id, 0, 1000);
    ASSERT_EQ(rows.size(), 95U);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        EXPECT_EQ(rows[i].pos, static_cast<std::int64_t>(i));
        ASSERT_TRUE(rows[i].result) << i;
        EXPECT_EQ(rows[i].result->syntax, "pass");
    }
    EXPECT_EQ(counter_.items, 95);
    EXPECT_EQ(counter("committed"), 10);
    EXPECT_EQ(counter("finished"), 1);
}

TEST_F(SchedulerTest, RepeatedAddressesAreVerifiedOnceAndEveryRowAnswered) {
    const store::Id id = createJob(90, 30);  // each address three times, across chunks
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return done(id); }));
    scheduler->stop(milliseconds(1000));
    EXPECT_EQ(counter_.items, 30) << "only first occurrences reach the stages";
    const auto rows = env_.store().readResults(account_, id, 0, 1000);
    ASSERT_EQ(rows.size(), 90U);
    for (const auto& row : rows) {
        ASSERT_TRUE(row.result) << row.pos << " " << row.email;
        EXPECT_EQ(row.result->classifier,
                  rows[static_cast<std::size_t>(row.pos % 30)].result->classifier);
    }
    EXPECT_EQ(job(id).totalEmails, 90);
}

TEST_F(SchedulerTest, TwoNodesShareAJobWithoutDoubleWork) {
    config_.chunkSize = 5;
    const store::Id id = createJob(200, 200);
    auto a = makeScheduler("node-a");
    auto b = makeScheduler("node-b");
    a->start();
    b->start();
    ASSERT_TRUE(waitFor([&] { return done(id); }));
    a->stop(milliseconds(1000));
    b->stop(milliseconds(1000));
    EXPECT_EQ(counter_.items, 200) << "no chunk validated twice";
    EXPECT_EQ(counter("committed"), 40);
    EXPECT_EQ(counter("lost"), 0);
    EXPECT_EQ(job(id).totalEmails, 200);
}

TEST_F(SchedulerTest, DeletingAJobMidRunDropsItsInFlightResults) {
    const store::Id id = createJob(30, 30);
    counter_.hold = true;
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return counter_.batches >= 2; }));
    jobs::JobService service(env_.store());
    service.remove(account_, id);
    ASSERT_TRUE(waitFor([&] { return counter_.cancelled >= 2; }))
        << "the heartbeat cancels the chunks of a deleted job";
    ASSERT_TRUE(waitFor([&] { return counter("lost") >= 2; }));
    scheduler->stop(milliseconds(1000));
    EXPECT_EQ(counter("committed"), 0);
    EXPECT_FALSE(env_.store().findJob(account_, id));
}

TEST_F(SchedulerTest, PausedJobsWaitAndResumeFinishes) {
    const store::Id id = createJob(40, 40);
    jobs::JobService service(env_.store());
    EXPECT_EQ(service.pause(account_, id).state, "paused");
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    // Several poll rounds go by; nothing may be leased.
    std::this_thread::sleep_for(milliseconds(config_.pollMs * 10));
    EXPECT_EQ(counter_.batches, 0);
    EXPECT_EQ(job(id).state, "paused");
    service.resume(account_, id);
    scheduler->notify();
    ASSERT_TRUE(waitFor([&] { return done(id); }));
    scheduler->stop(milliseconds(1000));
    EXPECT_EQ(job(id).totalEmails, 40);
}

TEST_F(SchedulerTest, AnExpiredLeaseOfADeadWorkerIsTakenOver) {
    const store::Id id = createJob(20, 20);
    // A worker of another process leased the first chunk and died without giving it back.
    const auto dead =
        env_.store().leaseChunk("dead-node/0", std::chrono::system_clock::now(), milliseconds(300));
    ASSERT_TRUE(dead);
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return done(id); }));
    scheduler->stop(milliseconds(1000));
    EXPECT_EQ(job(id).totalEmails, 20);
    EXPECT_EQ(env_.store().commitChunk(*dead, {}, std::chrono::system_clock::now()),
              store::CommitOutcome::leaseLost)
        << "the dead worker can no longer commit";
}

TEST_F(SchedulerTest, AChunkLeasedTooOftenFailsItsJob) {
    config_.maxAttempts = 1;
    const store::Id id = createJob(10, 10);
    ASSERT_TRUE(env_.store().leaseChunk("dead-node/0", std::chrono::system_clock::now(),
                                        milliseconds(100)));
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return job(id).state == "failed"; }));
    scheduler->stop(milliseconds(1000));
    EXPECT_NE(job(id).error.find("could not be verified in 1 attempts"), std::string::npos)
        << job(id).error;
    EXPECT_EQ(counter("failed"), 1);
}

TEST_F(SchedulerTest, StopGivesUnfinishedChunksBack) {
    config_.workers = 1;
    const store::Id id = createJob(10, 10);
    counter_.hold = true;
    auto scheduler = makeScheduler("node-a");
    scheduler->start();
    ASSERT_TRUE(waitFor([&] { return counter_.batches >= 1; }));
    scheduler->stop(milliseconds(50));
    EXPECT_EQ(counter("released"), 1);
    EXPECT_EQ(counter("committed"), 0);
    const auto again =
        env_.store().leaseChunk("other/0", std::chrono::system_clock::now(), milliseconds(1000));
    ASSERT_TRUE(again) << "released at once, not after the lease expires";
    EXPECT_EQ(again->jobId, id);
}

}  // namespace
}  // namespace mailsift::scheduler
