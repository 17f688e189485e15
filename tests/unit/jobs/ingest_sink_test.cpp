// IngestSink on a real SQLite store: batches written by several writers at once keep every row
// in order with its duplicate marks, and a write that fails stops the connector and is thrown.
#include "jobs/ingest_sink.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "jobs/job_test_env.h"

namespace mailsift::jobs {
namespace {

using testing::JobTestEnv;

store::TimePoint now() {
    return std::chrono::system_clock::now();
}

class IngestSinkTest : public ::testing::Test {
  protected:
    store::Id newJob() {
        return env_.store()
            .createJob(store::NewJob{account_, "list", "file", std::nullopt, ""}, now())
            .id;
    }

    JobTestEnv env_;
    store::Id account_ = env_.account("acme");
};

TEST_F(IngestSinkTest, ParallelWritersKeepEveryRowInOrderWithItsDuplicateMark) {
    const store::Id id = newJob();
    constexpr int kRows = 1003;  // 100 full batches of 10 and a partial one
    {
        IngestSink sink(env_.store(), id, 10, 3, 1'000'000, nullptr);
        for (int i = 0; i < kRows; ++i)
            sink.row("u" + std::to_string(i % 500) + "@x.test");  // rows from 500 on repeat
        sink.flush();
        EXPECT_EQ(sink.rows(), kRows);
        EXPECT_EQ(sink.uniqueAddresses(), 500u);
        EXPECT_FALSE(sink.stopRequested());
    }
    env_.store().sealJob(id, kRows, now());
    EXPECT_EQ(env_.store().findJob(account_, id)->emailCount, kRows);
    const auto lease = env_.store().leaseChunk("t", now(), std::chrono::seconds(60));
    ASSERT_TRUE(lease.has_value());
    const auto rows = env_.store().leasedRows(*lease);
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(kRows));
    for (int i = 0; i < kRows; ++i) {
        const store::JobRow& row = rows[static_cast<std::size_t>(i)];
        ASSERT_EQ(row.pos, i);
        EXPECT_EQ(row.email, "u" + std::to_string(i % 500) + "@x.test");
        EXPECT_EQ(row.dupOf, i < 500 ? -1 : i % 500);
    }
}

// The job is sealed under the sink (as a second request could): the writes after that fail, the
// sink asks the connector to stop, and flush() throws the store's error.
TEST_F(IngestSinkTest, AFailedWriteStopsTheConnectorAndIsThrown) {
    const store::Id id = newJob();
    IngestSink sink(env_.store(), id, 5, 2, 1'000'000, nullptr);
    for (int i = 0; i < 5; ++i)
        sink.row("a" + std::to_string(i) + "@x.test");
    env_.store().sealJob(id, 100, now());
    bool thrown = false;
    try {
        for (int i = 5; i < 100 && !sink.stopRequested(); ++i)
            sink.row("a" + std::to_string(i) + "@x.test");
        sink.flush();
    } catch (const store::StoreError& error) {
        thrown = true;
        EXPECT_NE(std::string(error.what()).find("sealed"), std::string::npos) << error.what();
    }
    EXPECT_TRUE(thrown);
    EXPECT_TRUE(sink.stopRequested());
}

}  // namespace
}  // namespace mailsift::jobs
