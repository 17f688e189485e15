// JobService on a real SQLite store with the real file and input connectors: ingestion, duplicate
// marking, limits, clean-up after failures, results and download scans, pause/resume/delete.
#include "jobs/job_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <stdexcept>

#include "jobs/job_test_env.h"
#include "jobs/result_codec.h"

namespace mailsift::jobs {
namespace {

using testing::JobTestEnv;

class JobServiceTest : public ::testing::Test {
  protected:
    JobService makeService(JobServiceOptions options = {}) {
        return JobService(
            env_.store(), [this](std::string_view name) { return env_.connector(name); }, options,
            [this] { ++notified_; });
    }

    static CreateJobRequest csvRequest(std::istream& file) {
        CreateJobRequest request;
        request.source = "file";
        request.label = "List";
        request.file = &file;
        request.fileName = "list.csv";
        return request;
    }

    /// The rows of a sealed job, in order, as a worker leases them (one chunk covers them all).
    std::vector<store::JobRow> rowsOf(store::Id jobId) {
        std::vector<store::JobRow> rows;
        while (auto lease = env_.store().leaseChunk("test", std::chrono::system_clock::now(),
                                                    std::chrono::seconds(60))) {
            EXPECT_EQ(lease->jobId, jobId);
            auto chunk = env_.store().leasedRows(*lease);
            rows.insert(rows.end(), chunk.begin(), chunk.end());
        }
        return rows;
    }

    JobTestEnv env_;
    store::Id account_ = env_.account("acme");
    int notified_ = 0;
};

JobError::Kind errorKind(const std::function<void()>& call, std::string* message = nullptr) {
    try {
        call();
    } catch (const JobError& error) {
        if (message)
            *message = error.what();
        return error.kind();
    }
    throw std::logic_error("no JobError was thrown");
}

TEST_F(JobServiceTest, IngestsACsvAndMarksRepeatedAddresses) {
    JobServiceOptions options;
    options.chunkSize = 2;
    options.ingestBatchRows = 3;  // several batches
    JobService jobs = makeService(options);
    std::istringstream csv(
        "email,name\na@example.com,A\nb@example.com,B\n a@EXAMPLE.COM ,C\n"
        "not an address,D\nb@example.com,E\n");
    const store::Id id = jobs.create(account_, csvRequest(csv));
    EXPECT_EQ(notified_, 1);

    const auto job = jobs.get(account_, id);
    ASSERT_TRUE(job);
    EXPECT_EQ(job->emailCount, 5);
    EXPECT_EQ(job->label, "List");
    EXPECT_EQ(job->source, "file");
    EXPECT_EQ(job->state, "pending");

    const auto rows = rowsOf(id);
    ASSERT_EQ(rows.size(), 5U);
    EXPECT_EQ(rows[0].dupOf, -1);
    EXPECT_EQ(rows[1].dupOf, -1);
    EXPECT_EQ(rows[2].dupOf, 0) << "same address: trimmed, domain case ignored";
    EXPECT_EQ(rows[3].dupOf, -1);
    EXPECT_EQ(rows[4].dupOf, 1);
    EXPECT_EQ(rows[3].email, "not an address");
}

TEST_F(JobServiceTest, IngestsTheInputField) {
    JobService jobs = makeService();
    CreateJobRequest request;
    request.source = "input";
    request.input = "a@example.com, b@example.com;c@example.com\nd@example.com";
    const store::Id id = jobs.create(account_, request);
    EXPECT_EQ(jobs.get(account_, id)->emailCount, 4);
}

TEST_F(JobServiceTest, RefusesBadRequestsWithSentences) {
    JobService jobs = makeService();
    std::string message;
    CreateJobRequest unknown;
    unknown.source = "dropbox";
    EXPECT_EQ(errorKind([&] { jobs.create(account_, unknown); }, &message),
              JobError::Kind::badRequest);
    EXPECT_EQ(message, "Invalid source type");

    CreateJobRequest noFile;
    noFile.source = "file";
    EXPECT_EQ(errorKind([&] { jobs.create(account_, noFile); }, &message),
              JobError::Kind::badRequest);
    EXPECT_NE(message.find("file field is missing"), std::string::npos) << message;

    CreateJobRequest noInput;
    noInput.source = "input";
    noInput.input = " ,; ";
    EXPECT_EQ(errorKind([&] { jobs.create(account_, noInput); }, &message),
              JobError::Kind::badRequest);
    EXPECT_NE(message.find("input field is missing or empty"), std::string::npos) << message;

    CreateJobRequest excel;  // the test host does not load the excel connector
    excel.source = "excel";
    std::istringstream empty;
    excel.file = &empty;
    EXPECT_EQ(errorKind([&] { jobs.create(account_, excel); }, &message),
              JobError::Kind::badRequest);
    EXPECT_NE(message.find("not enabled"), std::string::npos) << message;
    EXPECT_TRUE(jobs.list(account_).empty());
}

TEST_F(JobServiceTest, TooManyRowsIs413AndLeavesNothing) {
    JobServiceOptions options;
    options.maxRowsPerJob = 3;
    options.ingestBatchRows = 2;
    JobService jobs = makeService(options);
    std::istringstream csv("a@x.com\nb@x.com\nc@x.com\nd@x.com\ne@x.com\n");
    std::string message;
    EXPECT_EQ(errorKind([&] { jobs.create(account_, csvRequest(csv)); }, &message),
              JobError::Kind::tooLarge);
    EXPECT_NE(message.find("more than 3 rows"), std::string::npos) << message;
    EXPECT_TRUE(jobs.list(account_).empty()) << "the half-made job is gone";
    EXPECT_EQ(notified_, 0);
}

TEST_F(JobServiceTest, ABrokenUploadRemovesTheJobAndPassesItsErrorOn) {
    JobServiceOptions options;
    options.ingestBatchRows = 1;
    JobService jobs = makeService(options);
    std::istringstream csv("a@x.com\nb@x.com\n");
    CreateJobRequest request = csvRequest(csv);
    request.verifyFile = [] { throw std::runtime_error("upload cut off"); };
    EXPECT_THROW(jobs.create(account_, request), std::runtime_error);
    EXPECT_TRUE(jobs.list(account_).empty());
}

TEST_F(JobServiceTest, AnEmptyFileMakesAJobThatIsDoneAtOnce) {
    JobService jobs = makeService();
    std::istringstream csv("");
    const store::Id id = jobs.create(account_, csvRequest(csv));
    const auto job = jobs.get(account_, id);
    EXPECT_EQ(job->emailCount, 0);
    EXPECT_EQ(job->state, "done");
    EXPECT_TRUE(jobs.results(account_, id, 0).empty());
}

TEST_F(JobServiceTest, ResultsKeepInputOrderWithUnfinishedRowsEmpty) {
    JobService jobs = makeService();
    std::istringstream csv("a@x.com\nb@x.com\nc@x.com\n");
    const store::Id id = jobs.create(account_, csvRequest(csv));
    const auto rows = jobs.results(account_, id, 1);
    ASSERT_EQ(rows.size(), 2U);
    EXPECT_EQ(rows[0].pos, 1);
    EXPECT_EQ(rows[0].email, "b@x.com");
    EXPECT_FALSE(rows[0].result);
    EXPECT_TRUE(jobs.results(account_, id, 3).empty());
    EXPECT_EQ(errorKind([&] { jobs.results(account_, id, -1); }), JobError::Kind::badRequest);
}

TEST_F(JobServiceTest, AnotherAccountsJobIsNotFoundEverywhere) {
    JobService jobs = makeService();
    std::istringstream csv("a@x.com\n");
    const store::Id id = jobs.create(account_, csvRequest(csv));
    const store::Id other = env_.account("other");
    EXPECT_FALSE(jobs.get(other, id));
    EXPECT_EQ(errorKind([&] { jobs.results(other, id, 0); }), JobError::Kind::notFound);
    EXPECT_EQ(errorKind([&] { jobs.download(other, id, {}, [](const auto&) { return true; }); }),
              JobError::Kind::notFound);
    EXPECT_EQ(errorKind([&] { jobs.pause(other, id); }), JobError::Kind::notFound);
    EXPECT_EQ(errorKind([&] { jobs.resume(other, id); }), JobError::Kind::notFound);
    EXPECT_EQ(errorKind([&] { jobs.remove(other, id); }), JobError::Kind::notFound);
    EXPECT_TRUE(jobs.get(account_, id)) << "still there for its owner";
}

TEST_F(JobServiceTest, PauseResumeAndRemove) {
    JobService jobs = makeService();
    std::istringstream csv("a@x.com\nb@x.com\n");
    const store::Id id = jobs.create(account_, csvRequest(csv));
    EXPECT_EQ(jobs.pause(account_, id).state, "paused");
    EXPECT_FALSE(
        env_.store().leaseChunk("w", std::chrono::system_clock::now(), std::chrono::seconds(5)))
        << "a paused job is not leased";
    const int before = notified_;
    EXPECT_NE(jobs.resume(account_, id).state, "paused");
    EXPECT_EQ(notified_, before + 1);
    jobs.remove(account_, id);
    EXPECT_FALSE(jobs.get(account_, id));
}

TEST_F(JobServiceTest, UnknownDownloadFilterNamesIt) {
    std::string message;
    EXPECT_EQ(errorKind(
                  [&] {
                      JobService::checkFilters({"valid", "great"});
                  },
                  &message),
              JobError::Kind::badRequest);
    EXPECT_NE(message.find("\"great\""), std::string::npos) << message;
    EXPECT_NO_THROW(JobService::checkFilters({"valid", "risky", "invalid"}));
}

TEST(ResultCodec, RoundTripsEveryField) {
    engine::ValidationResult result;
    result.syntax = "pass";
    result.mx = "pass";
    result.mailbox = "n/a";
    result.score = 4;
    result.classifier = "risky";
    result.description = {"typo", "mailbox_unverified"};
    result.smtpResponse = "250 \"ok\"\n";
    result.normalized = "jane@gmial.com";
    result.suggestion = "jane@gmail.com";
    result.free = true;
    const store::RowResult row = result_codec::toRow(7, result);
    EXPECT_EQ(row.pos, 7);
    EXPECT_EQ(row.description, "typo;mailbox_unverified");
    const engine::ValidationResult back = result_codec::fromRow(row);
    EXPECT_EQ(back.description, result.description);
    EXPECT_EQ(back.smtpResponse, result.smtpResponse);
    EXPECT_EQ(back.normalized, result.normalized);
    EXPECT_EQ(back.suggestion, result.suggestion);
    EXPECT_TRUE(back.free);
    EXPECT_EQ(back.mxHost, "");

    store::RowResult broken = row;
    broken.extraJson = "{not json";
    EXPECT_EQ(result_codec::fromRow(broken).classifier, "risky");
    EXPECT_EQ(result_codec::fromRow(broken).normalized, "") << "extensions dropped, nothing else";
}

TEST(ResultCodec, ExtensionsSurviveEscapesAndUnicode) {
    engine::ValidationResult result;
    result.normalized = "\"odd\\name\"@例子.广告\t";
    result.suggestion = "a@b.com";
    result.mxHost = "mx.\x01weird";
    const engine::ValidationResult back = result_codec::fromRow(result_codec::toRow(0, result));
    EXPECT_EQ(back.normalized, result.normalized);
    EXPECT_EQ(back.suggestion, result.suggestion);
    EXPECT_EQ(back.mxHost, result.mxHost);
    EXPECT_FALSE(back.free);
    for (const char* bad : {"", "{", "{\"free\":maybe}", "{\"normalized\":\"x}", "{\"a\" 1}",
                            "{\"normalized\":\"\\q\"}", "{\"normalized\":\"\\u12\"}"}) {
        store::RowResult row = result_codec::toRow(0, result);
        row.extraJson = bad;
        EXPECT_EQ(result_codec::fromRow(row).normalized, "") << bad;
    }
}

}  // namespace
}  // namespace mailsift::jobs
