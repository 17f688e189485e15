#pragma once

// Migration 4: the background work of integration jobs (issue 6).
//
// integration_tasks has one row per job created from an integration. Its state moves
// importing -> (awaiting -> writing ->) done: `importing` while the provider's pages are read
// (page_cursor is where the next page starts, next_pos the position its first row gets; both are
// committed with the page's rows, so a restarted import resumes there and stores no row twice),
// `awaiting` once the job is sealed and write-back is on (leased again when the job is done),
// `done` at the end. Leases work like chunk leases: owner, expiry, a token that changes with
// every lease, and attempts. Numbered 4 because migration 3 belongs to webhooks.

namespace mailsift::store::migrations {

inline constexpr const char* kIntegrationTasksSqlite = R"sql(
CREATE TABLE integration_tasks (
    job_id INTEGER NOT NULL PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    integration_id INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'importing',
    write_back INTEGER NOT NULL DEFAULT 0,
    page_cursor TEXT NOT NULL DEFAULT '',
    next_pos INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at INTEGER NOT NULL DEFAULT 0,
    lease_token INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX integration_tasks_due ON integration_tasks(state, lease_expires_at);
)sql";

inline constexpr const char* kIntegrationTasksMysql = R"sql(
CREATE TABLE IF NOT EXISTS integration_tasks (
    job_id BIGINT NOT NULL PRIMARY KEY,
    integration_id BIGINT NOT NULL,
    state VARCHAR(16) NOT NULL DEFAULT 'importing',
    write_back TINYINT NOT NULL DEFAULT 0,
    page_cursor VARCHAR(2048) NOT NULL DEFAULT '',
    next_pos BIGINT NOT NULL DEFAULT 0,
    lease_owner VARCHAR(191) NULL,
    lease_expires_at BIGINT NOT NULL DEFAULT 0,
    lease_token BIGINT NOT NULL DEFAULT 0,
    attempts INT NOT NULL DEFAULT 0,
    error VARCHAR(2048) NOT NULL DEFAULT '',
    KEY integration_tasks_due (state, lease_expires_at),
    CONSTRAINT integration_tasks_job_fk FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
)sql";

}  // namespace mailsift::store::migrations
