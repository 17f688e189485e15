#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace mailsift::store {

using Id = std::int64_t;

/// What a new job starts with; the store fills id, state (pending) and timestamps.
struct NewJob {
    Id accountId = 0;
    std::string label;
    std::string source;  ///< file, input, excel, or an integration system
    std::optional<Id> integrationId;
    std::string integrationSystem;
};

/// One row as ingested. `dupOf` is the position of the first row of the job with the same address
/// (that row is verified, this one gets its result copied), or -1 for a first occurrence.
struct JobRow {
    std::int64_t pos = 0;
    std::string email;
    std::int64_t dupOf = -1;
};

/// One row's verdict as stored; the API result object is built from it.
struct RowResult {
    std::int64_t pos = 0;
    std::string syntax;
    std::string mx;
    std::string mailbox;
    int score = 0;
    std::string classifier;   ///< valid, risky, invalid
    std::string description;  ///< codes joined by ';'
    std::string smtpResponse;
    std::string extraJson = "{}";  ///< extension fields as a JSON object
};

/// A row with its result, as read back (result empty while the row is not finished).
struct ResultRow {
    std::int64_t pos = 0;
    std::string email;
    std::optional<RowResult> result;
};

/// A chunk of a job leased by one worker. `token` changes with every lease, so a worker whose
/// lease expired and was taken over can no longer renew or commit it.
struct ChunkLease {
    Id jobId = 0;
    Id accountId = 0;
    std::int64_t chunkNo = 0;
    std::int64_t firstPos = 0;
    std::int64_t lastPos = 0;  ///< inclusive
    std::string owner;
    std::int64_t token = 0;
    int attempts = 0;  ///< leases of this chunk so far, this one included
};

/// What committing a chunk did.
enum class CommitOutcome {
    committed,    ///< results, chunk state and job counters written together
    jobFinished,  ///< ... and that was the job's last chunk: the job is done now
    leaseLost,    ///< the lease expired and was taken over, or the job was deleted: nothing written
};

}  // namespace mailsift::store
