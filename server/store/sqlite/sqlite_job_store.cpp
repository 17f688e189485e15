// SqliteStore: ingestion and the worker side of jobs (lease, renew, commit, release).
//
// Every write runs in one BEGIN IMMEDIATE transaction, which takes SQLite's single write lock at
// once: leases, commits, deletes and pauses of all threads and processes on the file are
// serialised, so "one chunk, one live lease" needs no row locks. The hot paths (appending rows,
// writing results) use raw prepared statements re-executed inside that one transaction.

#include <string>

#include "store/lease_token.h"
#include "store/row_mapping.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {

namespace {

using Poco::Data::Session;

constexpr std::size_t kMaxErrorBytes = 2000;

/// The lease still holds: the chunk is leased by this owner with this token, and its job exists
/// and has not failed.
bool leaseHeld(sqlite3* db, const ChunkLease& lease) {
    SqliteStatement st(db,
                       "SELECT 1 FROM chunks c JOIN jobs j ON j.id = c.job_id WHERE c.job_id = ? "
                       "AND c.chunk_no = ? AND c.lease_owner = ? AND c.lease_token = ? "
                       "AND c.state = 'leased' AND j.state <> 'failed'");
    st.bind(1, lease.jobId).bind(2, lease.chunkNo).bind(3, lease.owner).bind(4, lease.token);
    return st.step();
}

/// The last chunk is done: duplicates get their first occurrence's result, the counters are
/// recomputed from the rows, and the job is done.
void finishJob(sqlite3* db, Id jobId, std::int64_t nowMs) {
    SqliteStatement copy(db,
                         "UPDATE job_rows SET (syntax, mx, mailbox, score, classifier, "
                         "description, smtp_response, extra) = (SELECT o.syntax, o.mx, o.mailbox, "
                         "o.score, o.classifier, o.description, o.smtp_response, o.extra FROM "
                         "job_rows o WHERE o.job_id = job_rows.job_id AND o.pos = job_rows.dup_of) "
                         "WHERE job_id = ? AND dup_of >= 0");
    copy.bind(1, jobId).run();
    SqliteStatement count(db, kCountResultsSql);
    count.bind(1, jobId);
    count.step();
    SqliteStatement done(db,
                         "UPDATE jobs SET total_emails = ?, deliverable_count = ?, "
                         "undeliverable_count = ?, risky_count = ?, state = 'done', "
                         "finished_at = ? WHERE id = ?");
    done.bind(1, count.integer(0))
        .bind(2, count.integer(1))
        .bind(3, count.integer(2))
        .bind(4, count.integer(3))
        .bind(5, nowMs)
        .bind(6, jobId)
        .run();
    writeJobEvent(db, jobId, kEventJobCompleted, nowMs);
}

}  // namespace

JobRecord SqliteStore::createJob(const NewJob& job, TimePoint at) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        SqliteStatement insert(
            db,
            "INSERT INTO jobs (account_id, label, state, source, integration_id, "
            "integration_system, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)");
        insert.bind(1, job.accountId).bind(2, job.label).bind(3, job.source);
        if (job.integrationId) {
            insert.bind(4, *job.integrationId).bind(5, job.integrationSystem);
        } else {
            insert.bindNull(4).bindNull(5);
        }
        insert.bind(6, toEpochMillis(at)).run();
        return *jobById(db, sqlite3_last_insert_rowid(db));
    });
}

void SqliteStore::appendRows(Id jobId, const std::vector<JobRow>& rows) {
    if (rows.empty()) {
        return;
    }
    withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            SqliteStatement count(db,
                                  "UPDATE jobs SET email_count = email_count + ? WHERE id = ? AND "
                                  "sealed = 0");
            count.bind(1, static_cast<std::int64_t>(rows.size())).bind(2, jobId).run();
            if (changes(db) != 1) {
                throw StoreError("sqlite: job " + std::to_string(jobId) +
                                 " does not exist or is sealed already");
            }
            SqliteStatement insert(db,
                                   "INSERT INTO job_rows (job_id, pos, email, dup_of) "
                                   "VALUES (?, ?, ?, ?)");
            insert.bind(1, jobId);
            for (const JobRow& row : rows) {
                insert.bind(2, row.pos)
                    .bindStatic(3, row.email)
                    .bind(4, row.dupOf < 0 ? std::int64_t{-1} : row.dupOf)
                    .run();
            }
            return 0;
        });
    });
}

void SqliteStore::sealJob(Id jobId, std::int64_t chunkSize, TimePoint at) {
    if (chunkSize < 1) {
        throw std::invalid_argument("sealJob: the chunk size must be at least 1");
    }
    withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            SqliteStatement job(db, "SELECT email_count, sealed FROM jobs WHERE id = ?");
            job.bind(1, jobId);
            if (!job.step()) {
                throw StoreError("sqlite: cannot seal job " + std::to_string(jobId) +
                                 ": no such job");
            }
            const std::int64_t rows = job.integer(0);
            if (job.integer(1) != 0) {
                return 0;  // sealed already: sealing is idempotent
            }
            SqliteStatement chunk(db,
                                  "INSERT INTO chunks (job_id, chunk_no, first_pos, last_pos) "
                                  "VALUES (?, ?, ?, ?)");
            chunk.bind(1, jobId);
            for (std::int64_t no = 0; no * chunkSize < rows; ++no) {
                chunk.bind(2, no)
                    .bind(3, no * chunkSize)
                    .bind(4, std::min(rows, (no + 1) * chunkSize) - 1)
                    .run();
            }
            SqliteStatement seal(
                db,
                "UPDATE jobs SET sealed = 1, state = CASE WHEN ? = 0 AND state = "
                "'pending' THEN 'done' ELSE state END, finished_at = CASE WHEN ? "
                "= 0 AND state = 'pending' THEN ? ELSE finished_at END WHERE id = ?");
            seal.bind(1, rows).bind(2, rows).bind(3, toEpochMillis(at)).bind(4, jobId).run();
            if (rows == 0 && changes(db) == 1 && jobById(db, jobId)->state == "done") {
                writeJobEvent(db, jobId, kEventJobCompleted, toEpochMillis(at));
            }
            return 0;
        });
    });
}

void SqliteStore::failJob(Id jobId, const std::string& error, TimePoint at) {
    withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            SqliteStatement fail(db,
                                 "UPDATE jobs SET state = 'failed', error = ?, finished_at = ? "
                                 "WHERE id = ? AND state NOT IN ('done', 'failed')");
            fail.bind(1, truncateUtf8(error, kMaxErrorBytes))
                .bind(2, toEpochMillis(at))
                .bind(3, jobId)
                .run();
            if (changes(db) == 1) {
                writeJobEvent(db, jobId, kEventJobFailed, toEpochMillis(at));
            }
            return 0;
        });
    });
}

std::optional<ChunkLease> SqliteStore::leaseChunk(const std::string& owner, TimePoint at,
                                                  std::chrono::milliseconds ttl) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&]() -> std::optional<ChunkLease> {
            sqlite3* db = handle(s);
            const std::int64_t nowMs = toEpochMillis(at);
            SqliteStatement jobs(db, std::string(kLeaseCandidateJobs) + " LIMIT 1");
            jobs.bind(1, nowMs);
            if (!jobs.step()) {
                return std::nullopt;
            }
            ChunkLease lease;
            lease.jobId = jobs.integer(0);
            lease.accountId = jobs.integer(1);
            SqliteStatement chunk(db, std::string("SELECT c.chunk_no, c.first_pos, c.last_pos, "
                                                  "c.attempts FROM chunks c WHERE c.job_id = ? "
                                                  "AND ") +
                                          kLeasableChunk + " ORDER BY c.chunk_no LIMIT 1");
            chunk.bind(1, lease.jobId).bind(2, nowMs);
            if (!chunk.step()) {
                return std::nullopt;  // cannot happen: the job was chosen for such a chunk
            }
            lease.chunkNo = chunk.integer(0);
            lease.firstPos = chunk.integer(1);
            lease.lastPos = chunk.integer(2);
            lease.attempts = static_cast<int>(chunk.integer(3)) + 1;
            lease.owner = owner;
            lease.token = newLeaseToken();
            SqliteStatement take(db,
                                 "UPDATE chunks SET state = 'leased', lease_owner = ?, "
                                 "lease_token = ?, lease_expires_at = ?, heartbeat_at = ?, "
                                 "attempts = attempts + 1 WHERE job_id = ? AND chunk_no = ?");
            take.bind(1, owner)
                .bind(2, lease.token)
                .bind(3, nowMs + ttl.count())
                .bind(4, nowMs)
                .bind(5, lease.jobId)
                .bind(6, lease.chunkNo)
                .run();
            SqliteStatement job(db,
                                "UPDATE jobs SET last_lease_at = ?, state = CASE WHEN state = "
                                "'pending' THEN 'running' ELSE state END WHERE id = ?");
            job.bind(1, nowMs).bind(2, lease.jobId).run();
            SqliteStatement account(db, "UPDATE accounts SET last_lease_at = ? WHERE id = ?");
            account.bind(1, nowMs).bind(2, lease.accountId).run();
            return lease;
        });
    });
}

bool SqliteStore::renewLease(const ChunkLease& lease, TimePoint at, std::chrono::milliseconds ttl) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        const std::int64_t nowMs = toEpochMillis(at);
        SqliteStatement renew(db,
                              "UPDATE chunks SET lease_expires_at = ?, heartbeat_at = ? "
                              "WHERE job_id = ? AND chunk_no = ? AND lease_owner = ? AND "
                              "lease_token = ? AND state = 'leased' AND EXISTS (SELECT 1 FROM "
                              "jobs j WHERE j.id = chunks.job_id AND j.state <> 'failed')");
        renew.bind(1, nowMs + ttl.count())
            .bind(2, nowMs)
            .bind(3, lease.jobId)
            .bind(4, lease.chunkNo)
            .bind(5, lease.owner)
            .bind(6, lease.token)
            .run();
        return changes(db) == 1;
    });
}

std::vector<JobRow> SqliteStore::leasedRows(const ChunkLease& lease) {
    return withSession([&](Session& s) {
        SqliteStatement st(handle(s),
                           "SELECT pos, email, dup_of FROM job_rows WHERE job_id = ? AND pos "
                           "BETWEEN ? AND ? ORDER BY pos");
        st.bind(1, lease.jobId).bind(2, lease.firstPos).bind(3, lease.lastPos);
        std::vector<JobRow> rows;
        rows.reserve(static_cast<std::size_t>(std::max<std::int64_t>(
            0, std::min<std::int64_t>(lease.lastPos - lease.firstPos + 1, 100'000))));
        while (st.step()) {
            rows.push_back(JobRow{st.integer(0), st.text(1), st.integer(2)});
        }
        return rows;
    });
}

CommitOutcome SqliteStore::commitChunk(const ChunkLease& lease,
                                       const std::vector<RowResult>& results, TimePoint at) {
    for (const RowResult& r : results) {
        if (r.pos < lease.firstPos || r.pos > lease.lastPos) {
            throw StoreError("commitChunk: result for position " + std::to_string(r.pos) +
                             " is outside chunk " + std::to_string(lease.chunkNo));
        }
    }
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            if (!leaseHeld(db, lease)) {
                return CommitOutcome::leaseLost;
            }
            SqliteStatement write(db,
                                  "UPDATE job_rows SET syntax = ?, mx = ?, mailbox = ?, score = ?, "
                                  "classifier = ?, description = ?, smtp_response = ?, extra = ? "
                                  "WHERE job_id = ? AND pos = ?");
            write.bind(9, lease.jobId);
            for (const RowResult& r : results) {
                write.bind(1, r.syntax)
                    .bind(2, r.mx)
                    .bind(3, r.mailbox)
                    .bind(4, std::int64_t{r.score})
                    .bind(5, r.classifier)
                    .bind(6, r.description)
                    .bind(7, r.smtpResponse)
                    .bind(8, r.extraJson.empty() ? std::string("{}") : r.extraJson)
                    .bind(10, r.pos)
                    .run();
            }
            SqliteStatement done(db,
                                 "UPDATE chunks SET state = 'done', lease_expires_at = NULL "
                                 "WHERE job_id = ? AND chunk_no = ?");
            done.bind(1, lease.jobId).bind(2, lease.chunkNo).run();
            const ClassifierCounts c = countClassifiers(results);
            SqliteStatement counters(db,
                                     "UPDATE jobs SET total_emails = total_emails + ?, "
                                     "deliverable_count = deliverable_count + ?, "
                                     "undeliverable_count = undeliverable_count + ?, "
                                     "risky_count = risky_count + ? WHERE id = ?");
            counters.bind(1, c.total)
                .bind(2, c.valid)
                .bind(3, c.invalid)
                .bind(4, c.risky)
                .bind(5, lease.jobId)
                .run();
            SqliteStatement left(
                db, "SELECT COUNT(*) FROM chunks WHERE job_id = ? AND state <> 'done'");
            left.bind(1, lease.jobId);
            left.step();
            if (left.integer(0) > 0) {
                return CommitOutcome::committed;
            }
            finishJob(db, lease.jobId, toEpochMillis(at));
            return CommitOutcome::jobFinished;
        });
    });
}

void SqliteStore::releaseLease(const ChunkLease& lease) {
    withSession([&](Session& s) {
        SqliteStatement release(handle(s),
                                "UPDATE chunks SET state = 'pending', lease_owner = NULL, "
                                "lease_expires_at = NULL, attempts = MAX(attempts - 1, 0) "
                                "WHERE job_id = ? AND chunk_no = ? AND lease_owner = ? AND "
                                "lease_token = ? AND state = 'leased'");
        release.bind(1, lease.jobId)
            .bind(2, lease.chunkNo)
            .bind(3, lease.owner)
            .bind(4, lease.token)
            .run();
        return 0;
    });
}

}  // namespace mailsift::store::sqlite
