// MysqlStore: ingestion and the worker side of jobs (lease, renew, commit, release).
//
// Locks are always taken in the order chunk row -> job row -> account row (leaseChunk,
// commitChunk), chunk rows -> job rows -> job (deleteJob) or job rows -> job (appendRows), so
// these transactions cannot deadlock one another; a deadlock with anything else is retried by the
// pool. leaseChunk reads its candidate jobs without locks, then locks one chunk with FOR UPDATE
// SKIP LOCKED: concurrent workers on any number of servers skip each other's chunks instead of
// waiting.

#include <string>

#include "store/lease_token.h"
#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"

namespace mailsift::store::mysql {

namespace {

constexpr std::size_t kMaxErrorBytes = 2000;
/// Jobs leaseChunk considers per call (fairest first) before giving up for now.
constexpr int kLeaseCandidates = 8;

/// Multi-row statements are cut into batches of these sizes (largest first), so that a
/// connection caches at most a handful of statement shapes however many rows come.
constexpr std::size_t kRowBatches[] = {1000, 100, 10, 1};
constexpr std::size_t kResultBatches[] = {200, 50, 10, 1};
/// appendRows: 2,000 rows of (job_id, pos, email, dup_of) are well under 1 MB on the wire even at
/// the longest addresses (max_allowed_packet is 16 MB by default).
constexpr std::size_t kAppendRows = 2000;

/// Runs `head` + "(group), (group), ..." + `tail` over `count` items, binding item i's values
/// with bind(i, params), in batches of the given sizes.
template <std::size_t N, class Bind>
void inBatches(Connection& c, const std::string& head, const std::string& group,
               const std::string& tail, std::size_t count, const std::size_t (&sizes)[N],
               Bind bind) {
    std::vector<Param> params;
    std::size_t done = 0;
    for (std::size_t size : sizes) {
        if (count - done < size) {
            continue;
        }
        std::string sql = head;
        for (std::size_t i = 0; i < size; ++i) {
            sql += i == 0 ? group : "," + group;
        }
        sql += tail;
        while (count - done >= size) {
            params.clear();
            for (std::size_t i = done; i < done + size; ++i) {
                bind(i, params);
            }
            c.update(sql, params);
            done += size;
        }
    }
}

/// The lease still holds (chunk leased by this owner with this token); locks the chunk row.
bool lockHeldChunk(Connection& c, const ChunkLease& lease) {
    auto rs = c.query(
        "SELECT 1 FROM chunks WHERE job_id = ? AND chunk_no = ? AND lease_owner = ? AND "
        "lease_token = ? AND state = 'leased' FOR UPDATE",
        {lease.jobId, lease.chunkNo, lease.owner, lease.token});
    return rs->next();
}

/// Locks the job row; its state, or "" when the job is gone.
std::string lockJob(Connection& c, Id jobId) {
    auto rs = c.query("SELECT state FROM jobs WHERE id = ? FOR UPDATE", {jobId});
    return rs->next() ? ResultRow(*rs).text(0) : std::string();
}

/// The last chunk is done: duplicates get their first occurrence's result, the counters are
/// recomputed from the rows (one primary-key range pass), and the job is done.
void finishJob(Connection& c, Id jobId, std::int64_t nowMs) {
    c.update(
        "UPDATE job_rows d JOIN job_rows o ON o.job_id = d.job_id AND o.pos = d.dup_of "
        "SET d.syntax = o.syntax, d.mx = o.mx, d.mailbox = o.mailbox, d.score = o.score, "
        "d.classifier = o.classifier, d.description = o.description, "
        "d.smtp_response = o.smtp_response, d.extra = o.extra "
        "WHERE d.job_id = ? AND d.dup_of >= 0",
        {jobId});
    auto rs = c.query(kCountResultsSql, {jobId});
    rs->next();
    const ResultRow counts(*rs);
    c.update(
        "UPDATE jobs SET total_emails = ?, deliverable_count = ?, undeliverable_count = ?, "
        "risky_count = ?, state = 'done', finished_at = ? WHERE id = ?",
        {counts.integer(0), counts.integer(1), counts.integer(2), counts.integer(3), nowMs, jobId});
    writeJobEvent(c, jobId, kEventJobCompleted, nowMs);
}

}  // namespace

JobRecord MysqlStore::createJob(const NewJob& job, TimePoint now) {
    return pool_.run([&](Connection& c) {
        std::vector<Param> params{job.accountId, job.label, job.source};
        if (job.integrationId) {
            params.emplace_back(*job.integrationId);
            params.emplace_back(job.integrationSystem);
        } else {
            params.emplace_back(nullptr);
            params.emplace_back(nullptr);
        }
        params.emplace_back(toEpochMillis(now));
        c.update(
            "INSERT INTO jobs (account_id, label, state, source, integration_id, "
            "integration_system, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)",
            params);
        return *jobById(c, c.lastInsertId());
    });
}

void MysqlStore::appendRows(Id jobId, const std::vector<JobRow>& rows) {
    if (rows.empty()) {
        return;
    }
    pool_.transaction([&](Connection& c) {
        // The rows first, then the job row, locked only from there to the commit: batches of one
        // job may be appended on several connections at once, and they meet only for that short
        // update. The update proves the job exists and is not sealed when the rows commit (a
        // sealJob or deleteJob that came first makes it change nothing, and the rows roll back),
        // so the per-row foreign-key check of the inserts (a parent lookup and lock for every
        // row) would prove nothing more; skipping it is what keeps ingestion fast. The session
        // setting is restored before the connection is reused.
        c.execute("SET SESSION foreign_key_checks = 0");
        struct RestoreChecks {
            Connection& c;
            ~RestoreChecks() {
                try {
                    c.execute("SET SESSION foreign_key_checks = 1");
                } catch (...) {  // a lost connection is discarded by the pool anyway
                }
            }
        } restore{c};
        // Big multi-row statements over the text protocol, the values written as literals:
        // binding 8,000 parameters to a prepared statement cost this process 2.9 us a row in
        // Connector/C++, writing the literals costs 1.1 us, and the database no more than before.
        // One transaction, rows.size() / 2000 round trips.
        const std::string job = std::to_string(jobId);
        std::string sql;
        for (std::size_t done = 0; done < rows.size();) {
            const std::size_t end = std::min(rows.size(), done + kAppendRows);
            sql.assign("INSERT INTO job_rows (job_id, pos, email, dup_of) VALUES ");
            for (std::size_t i = done; i < end; ++i) {
                const JobRow& row = rows[i];
                sql += i == done ? "(" : ",(";
                sql += job;
                sql += ',';
                sql += std::to_string(row.pos);
                sql += ',';
                appendStringLiteral(sql, row.email);
                sql += ',';
                sql += std::to_string(row.dupOf < 0 ? std::int64_t{-1} : row.dupOf);
                sql += ')';
            }
            c.execute(sql);
            done = end;
        }
        if (c.update("UPDATE jobs SET email_count = email_count + ? WHERE id = ? AND sealed = 0",
                     {static_cast<std::int64_t>(rows.size()), jobId}) != 1) {
            throw StoreError("mysql: job " + std::to_string(jobId) +
                             " does not exist or is sealed already");
        }
        return 0;
    });
}

void MysqlStore::sealJob(Id jobId, std::int64_t chunkSize, TimePoint now) {
    if (chunkSize < 1) {
        throw std::invalid_argument("sealJob: the chunk size must be at least 1");
    }
    pool_.transaction([&](Connection& c) {
        auto rs =
            c.query("SELECT email_count, sealed, state FROM jobs WHERE id = ? FOR UPDATE", {jobId});
        if (!rs->next()) {
            throw StoreError("mysql: cannot seal job " + std::to_string(jobId) + ": no such job");
        }
        const ResultRow job(*rs);
        const std::int64_t rows = job.integer(0);
        const bool sealed = job.integer(1) != 0;
        const std::string state = job.text(2);
        rs.reset();
        if (sealed) {
            return 0;  // sealing is idempotent
        }
        const auto chunks = static_cast<std::size_t>((rows + chunkSize - 1) / chunkSize);
        inBatches(c, "INSERT INTO chunks (job_id, chunk_no, first_pos, last_pos) VALUES ",
                  "(?,?,?,?)", "", chunks, kRowBatches,
                  [&](std::size_t i, std::vector<Param>& params) {
                      const auto no = static_cast<std::int64_t>(i);
                      params.emplace_back(jobId);
                      params.emplace_back(no);
                      params.emplace_back(no * chunkSize);
                      params.emplace_back(std::min(rows, (no + 1) * chunkSize) - 1);
                  });
        if (rows == 0 && state == "pending") {
            c.update("UPDATE jobs SET sealed = 1, state = 'done', finished_at = ? WHERE id = ?",
                     {toEpochMillis(now), jobId});
            writeJobEvent(c, jobId, kEventJobCompleted, toEpochMillis(now));
        } else {
            c.update("UPDATE jobs SET sealed = 1 WHERE id = ?", {jobId});
        }
        return 0;
    });
}

void MysqlStore::failJob(Id jobId, const std::string& error, TimePoint now) {
    pool_.transaction([&](Connection& c) {
        const int changed = c.update(
            "UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND "
            "state NOT IN ('done', 'failed')",
            {truncateUtf8(error, kMaxErrorBytes), toEpochMillis(now), jobId});
        if (changed == 1) {
            writeJobEvent(c, jobId, kEventJobFailed, toEpochMillis(now));
        }
        return 0;
    });
}

std::optional<ChunkLease> MysqlStore::leaseChunk(const std::string& owner, TimePoint now,
                                                 std::chrono::milliseconds ttl) {
    return pool_.transaction([&](Connection& c) -> std::optional<ChunkLease> {
        const std::int64_t nowMs = toEpochMillis(now);
        std::vector<std::pair<Id, Id>> candidates;  // (job, account), fairest first
        {
            auto rs = c.query(
                std::string(kLeaseCandidateJobs) + " LIMIT " + std::to_string(kLeaseCandidates),
                {nowMs});
            while (rs->next()) {
                candidates.emplace_back(ResultRow(*rs).integer(0), ResultRow(*rs).integer(1));
            }
        }
        for (const auto& [jobId, accountId] : candidates) {
            // Expired leases first (their rows are the oldest work), then never-leased chunks.
            // Each query walks chunks_job_state in chunk order, so SKIP LOCKED locks just the
            // first free chunk rather than every candidate.
            auto rs = c.query(
                "SELECT chunk_no, first_pos, last_pos, attempts FROM chunks WHERE job_id = ? AND "
                "state = 'leased' AND lease_expires_at < ? ORDER BY chunk_no LIMIT 1 "
                "FOR UPDATE SKIP LOCKED",
                {jobId, nowMs});
            if (!rs->next()) {
                rs = c.query(
                    "SELECT chunk_no, first_pos, last_pos, attempts FROM chunks WHERE job_id = ? "
                    "AND state = 'pending' ORDER BY chunk_no LIMIT 1 FOR UPDATE SKIP LOCKED",
                    {jobId});
                if (!rs->next()) {
                    continue;  // every free chunk of this job is being leased by someone else
                }
            }
            const ResultRow chunk(*rs);
            ChunkLease lease;
            lease.jobId = jobId;
            lease.accountId = accountId;
            lease.chunkNo = chunk.integer(0);
            lease.firstPos = chunk.integer(1);
            lease.lastPos = chunk.integer(2);
            lease.attempts = static_cast<int>(chunk.integer(3)) + 1;
            rs.reset();
            // The candidate list was read without locks: the job may have been paused, failed or
            // deleted since. Locked now, its state is final for this transaction.
            const std::string state = lockJob(c, jobId);
            if (state != "pending" && state != "running") {
                continue;
            }
            lease.owner = owner;
            lease.token = newLeaseToken();
            c.update(
                "UPDATE chunks SET state = 'leased', lease_owner = ?, lease_token = ?, "
                "lease_expires_at = ?, heartbeat_at = ?, attempts = attempts + 1 "
                "WHERE job_id = ? AND chunk_no = ?",
                {owner, lease.token, nowMs + ttl.count(), nowMs, jobId, lease.chunkNo});
            c.update("UPDATE jobs SET last_lease_at = ?, state = 'running' WHERE id = ?",
                     {nowMs, jobId});
            c.update("UPDATE accounts SET last_lease_at = ? WHERE id = ?", {nowMs, accountId});
            return lease;
        }
        return std::nullopt;
    });
}

bool MysqlStore::renewLease(const ChunkLease& lease, TimePoint now, std::chrono::milliseconds ttl) {
    return pool_.transaction([&](Connection& c) {
        // Checked with a locking read rather than by the UPDATE's affected rows, which MySQL
        // reports as 0 when the new expiry happens to equal the old one.
        if (!lockHeldChunk(c, lease)) {
            return false;
        }
        const std::string state = lockJob(c, lease.jobId);
        if (state.empty() || state == "failed") {
            return false;
        }
        const std::int64_t nowMs = toEpochMillis(now);
        c.update(
            "UPDATE chunks SET lease_expires_at = ?, heartbeat_at = ? WHERE job_id = ? AND "
            "chunk_no = ?",
            {nowMs + ttl.count(), nowMs, lease.jobId, lease.chunkNo});
        return true;
    });
}

std::vector<JobRow> MysqlStore::leasedRows(const ChunkLease& lease) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(
            "SELECT pos, email, dup_of FROM job_rows WHERE job_id = ? AND pos BETWEEN ? AND ? "
            "ORDER BY pos",
            {lease.jobId, lease.firstPos, lease.lastPos});
        return readRows(*rs, [](const ResultRow& r) {
            return JobRow{r.integer(0), r.text(1), r.integer(2)};
        });
    });
}

CommitOutcome MysqlStore::commitChunk(const ChunkLease& lease,
                                      const std::vector<RowResult>& results, TimePoint now) {
    for (const RowResult& r : results) {
        if (r.pos < lease.firstPos || r.pos > lease.lastPos) {
            throw StoreError("commitChunk: result for position " + std::to_string(r.pos) +
                             " is outside chunk " + std::to_string(lease.chunkNo));
        }
    }
    return pool_.transaction([&](Connection& c) {
        if (!lockHeldChunk(c, lease)) {
            return CommitOutcome::leaseLost;
        }
        // The job row is locked before the rows are written: commits of one job queue here, and
        // the last one to get the lock sees every other chunk done (READ COMMITTED reads the
        // latest committed state after the wait), so exactly one commit finishes the job.
        const std::string state = lockJob(c, lease.jobId);
        if (state.empty() || state == "failed") {
            return CommitOutcome::leaseLost;
        }
        // Every position is inside the chunk, whose rows exist (they were appended before the
        // job was sealed, and are deleted only after the chunk), so this only ever updates.
        inBatches(c,
                  "INSERT INTO job_rows (job_id, pos, email, syntax, mx, mailbox, score, "
                  "classifier, description, smtp_response, extra) VALUES ",
                  "(?,?,'',?,?,?,?,?,?,?,?)",
                  " ON DUPLICATE KEY UPDATE syntax = VALUES(syntax), mx = VALUES(mx), "
                  "mailbox = VALUES(mailbox), score = VALUES(score), "
                  "classifier = VALUES(classifier), description = VALUES(description), "
                  "smtp_response = VALUES(smtp_response), extra = VALUES(extra)",
                  results.size(), kResultBatches, [&](std::size_t i, std::vector<Param>& params) {
                      const RowResult& r = results[i];
                      params.emplace_back(lease.jobId);
                      params.emplace_back(r.pos);
                      params.emplace_back(r.syntax);
                      params.emplace_back(r.mx);
                      params.emplace_back(r.mailbox);
                      params.emplace_back(std::int64_t{r.score});
                      params.emplace_back(r.classifier);
                      params.emplace_back(r.description);
                      params.emplace_back(r.smtpResponse);
                      params.emplace_back(r.extraJson.empty() ? std::string("{}") : r.extraJson);
                  });
        c.update(
            "UPDATE chunks SET state = 'done', lease_expires_at = NULL WHERE job_id = ? AND "
            "chunk_no = ?",
            {lease.jobId, lease.chunkNo});
        const ClassifierCounts n = countClassifiers(results);
        c.update(
            "UPDATE jobs SET total_emails = total_emails + ?, deliverable_count = "
            "deliverable_count + ?, undeliverable_count = undeliverable_count + ?, risky_count = "
            "risky_count + ? WHERE id = ?",
            {n.total, n.valid, n.invalid, n.risky, lease.jobId});
        if (c.queryInteger("SELECT COUNT(*) FROM chunks WHERE job_id = ? AND state <> 'done'",
                           {lease.jobId}) > 0) {
            return CommitOutcome::committed;
        }
        finishJob(c, lease.jobId, toEpochMillis(now));
        return CommitOutcome::jobFinished;
    });
}

void MysqlStore::releaseLease(const ChunkLease& lease) {
    pool_.run([&](Connection& c) {
        return c.update(
            "UPDATE chunks SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL, "
            "attempts = GREATEST(attempts - 1, 0) WHERE job_id = ? AND chunk_no = ? AND "
            "lease_owner = ? AND lease_token = ? AND state = 'leased'",
            {lease.jobId, lease.chunkNo, lease.owner, lease.token});
    });
}

}  // namespace mailsift::store::mysql
