#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fakes/dns/fake_dns_server.h"
#include "integration/server_fixture.h"
#include "smtp/fake_smtp_server.h"

namespace mailsift::testing {

/// The world of the crash-safety tests: a fake DNS server and a fake SMTP server on loopback that
/// answer every RCPT after a short delay, so that a 20,000-row job honestly takes seconds; the
/// job file; and the checks that a finished job holds exactly one right result per row.
///
/// The file (see the .cpp) has kRows rows in chunks of kChunkSize. Every chunk holds exactly
/// kFirstPerChunk first occurrences: rows 95..99 of each hundred repeat rows 45..49 of the same
/// hundred. Row 3 of each hundred is not an address (syntax). The rest go to crash1..4.test
/// (u<i> exists when i % 3 != 0, else 550: valid or invalid) and crash5.test (catch-all: risky).
/// Owned by one test; the fakes run from the constructor to the destructor.
class JobsCrashEnvironment {
  public:
    static constexpr int kRows = 20000;
    static constexpr int kChunkSize = 100;
    static constexpr int kChunks = kRows / kChunkSize;
    static constexpr int kFirstPerChunk = 95;

    /// Starts the fakes; `replyDelayMs` is the SMTP servers' wait before every reply.
    explicit JobsCrashEnvironment(int replyDelayMs);
    ~JobsCrashEnvironment();
    JobsCrashEnvironment(const JobsCrashEnvironment&) = delete;
    JobsCrashEnvironment& operator=(const JobsCrashEnvironment&) = delete;

    /// The plugins block (five stages against the fakes, the file connector) and a jobs block.
    std::string serverYaml(int workers, int leaseTtlMs, int heartbeatMs) const;

    const std::vector<std::string>& emails() const { return emails_; }
    /// The classifier each row must end with.
    const std::vector<std::string>& expected() const { return expected_; }
    /// True for a row whose address repeats an earlier row.
    bool isRepeat(int pos) const { return pos % 100 >= kFirstPerChunk; }
    /// True for a row whose mailbox the SMTP stage must probe (a first occurrence at crash1..4).
    bool isProbed(int pos) const;
    /// The upload: header "email" and one row per address, LF line ends.
    std::string csv() const;

    fakes::FakeSmtpServer& smtp() { return smtp_; }
    /// RCPT TO commands received per address (lower case), over every connection so far.
    std::map<std::string, int> rcptCounts() const;

  private:
    fakes::FakeDnsServer dns_;
    fakes::FakeSmtpServer smtp_;
    std::vector<std::string> emails_;
    std::vector<std::string> expected_;
};

/// One account's view of one server's jobs API, for the crash tests.
class JobsApi {
  public:
    JobsApi(const ServerFixture& fixture, const ServerProcess& server, std::string key)
        : client_(fixture.client(server)), key_(std::move(key)) {}

    /// Uploads `csv` as a file job; returns its id (0 on failure, with a gtest failure).
    std::int64_t upload(const std::string& csv) const;
    /// The job object (null with a gtest failure when the answer is not 200).
    Poco::JSON::Object::Ptr job(std::int64_t id) const;
    std::string state(std::int64_t id) const;
    std::int64_t finishedRows(std::int64_t id) const;  ///< summary.totalEmails
    /// A counter or gauge from /metrics, e.g. metric("mailsift_scheduler_chunks_total",
    /// "outcome=\"committed\""); 0 when absent.
    double metric(const std::string& name, const std::string& labels = "") const;

    /// Every check of a finished job with gtest assertions: state done, the counters, one
    /// non-null result per row with the expected classifier in file order (paging result?pos=K),
    /// and the download with one line per row.
    void expectCompleteJob(std::int64_t id, const JobsCrashEnvironment& env) const;

  private:
    HttpClient client_;
    std::string key_;
};

/// A MariaDB URL with a fresh, empty database of this test's own, from MAILSIFT_TEST_MYSQL_URL
/// (set by ctest's mariadb fixture); "" with a gtest failure when it cannot be made.
std::string freshMariaDbUrl(const std::string& suffix);

/// Calls `done` every 20 ms until it answers true or `timeoutMs` passes; its last answer.
bool waitUntil(const std::function<bool()>& done, int timeoutMs);

}  // namespace mailsift::testing
