#pragma once

// The fixture and helpers of the job conformance suites (store_jobs_conformance_test.cpp,
// store_jobs_concurrency_test.cpp).

#include <chrono>
#include <string>
#include <vector>

#include "store_test_fixture.h"

namespace mailsift::store::testing {

inline constexpr std::chrono::milliseconds kTtl{30'000};

template <class Backend>
class StoreJobsFixture : public StoreFixture<Backend> {
  protected:
    Id account(const std::string& name) { return this->store().createAccount(name, at(1)).id; }

    /// A job of `emails` (positions in order), sealed in chunks of `chunkSize`.
    Id job(Id accountId, const std::vector<std::string>& emails, std::int64_t chunkSize,
           const std::vector<std::int64_t>& dupOf = {}) {
        Store& s = this->store();
        const Id id = s.createJob(NewJob{accountId, "list", "file", std::nullopt, ""}, at(10)).id;
        std::vector<JobRow> rows;
        for (std::size_t i = 0; i < emails.size(); ++i) {
            rows.push_back(
                JobRow{static_cast<std::int64_t>(i), emails[i], dupOf.empty() ? -1 : dupOf[i]});
        }
        s.appendRows(id, rows);
        s.sealJob(id, chunkSize, at(20));
        return id;
    }

    Id numberedJob(Id accountId, int rows, std::int64_t chunkSize) {
        std::vector<std::string> emails;
        for (int i = 0; i < rows; ++i) {
            emails.push_back("user" + std::to_string(i) + "@example.test");
        }
        return job(accountId, emails, chunkSize);
    }
};

inline const char* classifierFor(std::int64_t pos) {
    static const char* const kClassifiers[] = {"valid", "invalid", "risky"};
    return kClassifiers[pos % 3];
}

inline RowResult resultFor(std::int64_t pos) {
    RowResult r;
    r.pos = pos;
    r.classifier = classifierFor(pos);
    r.syntax = "pass";
    r.mx = r.classifier == std::string("invalid") ? "fail" : "pass";
    r.mailbox = "pass";
    r.score =
        r.classifier == std::string("valid") ? 10 : (r.classifier == std::string("risky") ? 6 : 0);
    r.description = r.classifier == std::string("risky") ? "catch_all;role_email" : "";
    r.smtpResponse = "250 2.1.5 OK " + std::to_string(pos);
    r.extraJson = R"({"mxHost":"mx.example.test"})";
    return r;
}

/// What a worker commits for a leased chunk: a result for every first occurrence.
inline std::vector<RowResult> resultsFor(Store& s, const ChunkLease& lease) {
    std::vector<RowResult> out;
    for (const JobRow& row : s.leasedRows(lease)) {
        if (row.dupOf < 0) {
            out.push_back(resultFor(row.pos));
        }
    }
    return out;
}

}  // namespace mailsift::store::testing
