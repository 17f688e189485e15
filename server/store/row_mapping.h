#pragma once

// SQL text and row-to-record mapping shared by the back-ends, so that both read the same columns
// in the same order. A Row is any type with integer(col), optInteger(col) and text(col) (NULL
// text reads as ""), columns counted from 0.

#include <string>
#include <vector>

#include "store/epoch_millis.h"
#include "store/store.h"

namespace mailsift::store {

inline constexpr const char* kAccountSelect = "SELECT id, name, created_at FROM accounts";

template <class Row>
Account accountFromRow(const Row& row) {
    Account a;
    a.id = row.integer(0);
    a.name = row.text(1);
    a.createdAt = fromEpochMillis(row.integer(2));
    return a;
}

inline constexpr const char* kApiKeySelect =
    "SELECT k.id, k.account_id, a.name, k.lookup_id, k.secret_hash, k.created_at, k.revoked_at "
    "FROM api_keys k JOIN accounts a ON a.id = k.account_id";

template <class Row>
ApiKeyRecord apiKeyFromRow(const Row& row) {
    ApiKeyRecord k;
    k.id = row.integer(0);
    k.accountId = row.integer(1);
    k.accountName = row.text(2);
    k.lookupId = row.text(3);
    k.secretHash = row.text(4);
    k.createdAt = fromEpochMillis(row.integer(5));
    if (auto revoked = row.optInteger(6)) {
        k.revokedAt = fromEpochMillis(*revoked);
    }
    return k;
}

inline constexpr const char* kJobSelect =
    "SELECT id, account_id, label, state, source, email_count, integration_id, "
    "integration_system, total_emails, deliverable_count, undeliverable_count, risky_count, "
    "created_at, finished_at, error FROM jobs";

/// Newest first; the id breaks ties between jobs created in the same millisecond.
inline constexpr const char* kJobOrder = " ORDER BY created_at DESC, id DESC";

template <class Row>
JobRecord jobFromRow(const Row& row) {
    JobRecord j;
    j.id = row.integer(0);
    j.accountId = row.integer(1);
    j.label = row.text(2);
    j.state = row.text(3);
    j.source = row.text(4);
    j.emailCount = row.integer(5);
    j.integrationId = row.optInteger(6);
    j.integrationSystem = j.integrationId ? row.text(7) : std::string();
    j.totalEmails = row.integer(8);
    j.deliverableCount = row.integer(9);
    j.undeliverableCount = row.integer(10);
    j.riskyCount = row.integer(11);
    j.createdAt = fromEpochMillis(row.integer(12));
    if (auto finished = row.optInteger(13)) {
        j.finishedAt = fromEpochMillis(*finished);
    }
    j.error = row.text(14);
    return j;
}

/// A job's rows with their results, for reading back; callers add the WHERE clause on r.job_id,
/// j.account_id and r.pos. The join scopes the read to the account in the same query.
inline constexpr const char* kResultSelect =
    "SELECT r.pos, r.email, r.classifier, r.syntax, r.mx, r.mailbox, r.score, r.description, "
    "r.smtp_response, r.extra FROM job_rows r JOIN jobs j ON j.id = r.job_id";

/// A row has a result once its classifier is set (commitChunk writes all result columns at once).
template <class Row>
ResultRow resultFromRow(const Row& row) {
    ResultRow out;
    out.pos = row.integer(0);
    out.email = row.text(1);
    if (row.optInteger(6)) {  // score is NOT NULL exactly when a result was written
        RowResult r;
        r.pos = out.pos;
        r.classifier = row.text(2);
        r.syntax = row.text(3);
        r.mx = row.text(4);
        r.mailbox = row.text(5);
        r.score = static_cast<int>(row.integer(6));
        r.description = row.text(7);
        r.smtpResponse = row.text(8);
        r.extraJson = row.text(9);
        if (r.extraJson.empty()) {
            r.extraJson = "{}";
        }
        out.result = std::move(r);
    }
    return out;
}

/// Columns of job_rows that a result fills, in the order both back-ends bind them.
inline constexpr const char* kResultColumns =
    "syntax, mx, mailbox, score, classifier, description, smtp_response, extra";

/// Classifier counts of a set of results, as the job summary adds them up.
struct ClassifierCounts {
    std::int64_t total = 0;
    std::int64_t valid = 0;
    std::int64_t invalid = 0;
    std::int64_t risky = 0;
};

inline ClassifierCounts countClassifiers(const std::vector<RowResult>& results) {
    ClassifierCounts c;
    for (const auto& r : results) {
        ++c.total;
        c.valid += r.classifier == "valid" ? 1 : 0;
        c.invalid += r.classifier == "invalid" ? 1 : 0;
        c.risky += r.classifier == "risky" ? 1 : 0;
    }
    return c;
}

/// Recomputes a job's summary from its rows (used when the last chunk is committed, so the
/// counters equal the rows exactly, duplicates included). Bind the job id once.
inline constexpr const char* kCountResultsSql =
    "SELECT COUNT(*), COALESCE(SUM(classifier = 'valid'), 0), "
    "COALESCE(SUM(classifier = 'invalid'), 0), COALESCE(SUM(classifier = 'risky'), 0) "
    "FROM job_rows WHERE job_id = ? AND classifier IS NOT NULL";

/// Chunks that leaseChunk may hand out, as a condition on chunks `c` (bind `now` once): never
/// leased, released, or leased with an expired lease.
inline constexpr const char* kLeasableChunk =
    "(c.state = 'pending' OR (c.state = 'leased' AND c.lease_expires_at < ?))";

/// Candidate jobs for leaseChunk, fairest first: the account served longest ago, then the job
/// served longest ago, ids breaking ties. Bind `now` once; append a LIMIT.
inline constexpr const char* kLeaseCandidateJobs =
    "SELECT j.id, j.account_id FROM jobs j JOIN accounts a ON a.id = j.account_id "
    "WHERE j.state IN ('pending', 'running') AND j.sealed = 1 AND EXISTS (SELECT 1 FROM chunks c "
    "WHERE c.job_id = j.id AND (c.state = 'pending' OR (c.state = 'leased' AND "
    "c.lease_expires_at < ?))) "
    "ORDER BY a.last_lease_at, a.id, j.last_lease_at, j.id";

/// Keeps the first `maxBytes` bytes of UTF-8 text without cutting a character in two.
inline std::string truncateUtf8(const std::string& text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) {
        return text;
    }
    std::size_t end = maxBytes;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        --end;
    }
    return text.substr(0, end);
}

}  // namespace mailsift::store
