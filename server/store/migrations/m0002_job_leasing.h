#pragma once

// Migration 2: what chunk leasing, fairness and duplicate handling need.
//
// - jobs.sealed: 1 once every row is in and the chunks exist (sealJob); only sealed jobs are
//   leased, so a worker never sees a job whose chunks are still being cut.
// - jobs.last_lease_at, accounts.last_lease_at: when a chunk of the job / of any job of the
//   account was last leased (epoch ms, 0 = never); leaseChunk serves the smallest first.
// - chunks.lease_token: changes with every lease; renew/commit/release must present it.
// - job_rows.dup_of: position of the first row of the job with the same address, -1 for a first
//   occurrence (NOT NULL, so bulk inserts bind plain integers). SQLite gets a partial index for
//   the copy at the end of a job; MySQL has no partial indexes and copies in one primary-key
//   range pass instead (cheaper than maintaining a second index entry for every ingested row).
// - chunks_job_state (job_id, state, chunk_no): leaseChunk finds a job's first pending (or
//   expired) chunk by an index range in chunk order, so SKIP LOCKED stops at the first free row
//   instead of locking every candidate.
//
// MySQL has no ADD COLUMN IF NOT EXISTS (MariaDB has), so these statements are not re-runnable
// by themselves; MysqlStore::migrate skips a statement that fails because its column or index is
// there already (a migration interrupted half-way).

namespace mailsift::store::migrations {

inline constexpr const char* kJobLeasingSqlite = R"sql(
ALTER TABLE jobs ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_lease_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN last_lease_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chunks ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
ALTER TABLE job_rows ADD COLUMN dup_of INTEGER NOT NULL DEFAULT -1;
CREATE INDEX chunks_job_state ON chunks(job_id, state, chunk_no);
CREATE INDEX job_rows_duplicates ON job_rows(job_id, pos) WHERE dup_of >= 0;
)sql";

inline constexpr const char* kJobLeasingMysql = R"sql(
ALTER TABLE jobs ADD COLUMN sealed TINYINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN last_lease_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN last_lease_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE chunks ADD COLUMN lease_token BIGINT NOT NULL DEFAULT 0;
ALTER TABLE job_rows ADD COLUMN dup_of BIGINT NOT NULL DEFAULT -1;
CREATE INDEX chunks_job_state ON chunks (job_id, state, chunk_no);
)sql";

}  // namespace mailsift::store::migrations
