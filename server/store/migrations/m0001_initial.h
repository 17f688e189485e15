#pragma once

// Migration 1: the tables of the first release. Timestamps are epoch milliseconds (BIGINT).
// Result columns of job_rows stay NULL until the row's chunk is committed.

namespace mailsift::store::migrations {

inline constexpr const char* kInitialSqlite = R"sql(
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    lookup_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX api_keys_account ON api_keys(account_id);
CREATE TABLE integrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    system TEXT NOT NULL,
    name TEXT NOT NULL,
    credentials BLOB,
    options TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (account_id, name)
);
CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    label TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    source TEXT NOT NULL,
    email_count INTEGER NOT NULL DEFAULT 0,
    integration_id INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    integration_system TEXT,
    total_emails INTEGER NOT NULL DEFAULT 0,
    deliverable_count INTEGER NOT NULL DEFAULT 0,
    undeliverable_count INTEGER NOT NULL DEFAULT 0,
    risky_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    finished_at INTEGER,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX jobs_account_created ON jobs(account_id, created_at DESC, id DESC);
CREATE INDEX jobs_state ON jobs(state);
CREATE TABLE job_rows (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    pos INTEGER NOT NULL,
    email TEXT NOT NULL,
    syntax TEXT,
    mx TEXT,
    mailbox TEXT,
    score INTEGER,
    classifier TEXT,
    description TEXT,
    smtp_response TEXT,
    extra TEXT,
    PRIMARY KEY (job_id, pos)
) WITHOUT ROWID;
CREATE TABLE chunks (
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    chunk_no INTEGER NOT NULL,
    first_pos INTEGER NOT NULL,
    last_pos INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    lease_owner TEXT,
    lease_expires_at INTEGER,
    heartbeat_at INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk_no)
);
CREATE INDEX chunks_claimable ON chunks(state, lease_expires_at);
CREATE TABLE webhook_subscriptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_subscriptions_account ON webhook_subscriptions(account_id);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES webhook_subscriptions(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    claimed_by TEXT,
    claim_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    delivered_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
)sql";

inline constexpr const char* kInitialMysql = R"sql(
CREATE TABLE IF NOT EXISTS accounts (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(255) NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE KEY accounts_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS api_keys (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    lookup_id VARCHAR(191) NOT NULL,
    secret_hash VARCHAR(128) NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT NULL,
    UNIQUE KEY api_keys_lookup (lookup_id),
    KEY api_keys_account (account_id),
    CONSTRAINT api_keys_account_fk FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS integrations (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    `system` VARCHAR(64) NOT NULL,
    name VARCHAR(255) NOT NULL,
    credentials BLOB NULL,
    options JSON NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE KEY integrations_account_name (account_id, name),
    CONSTRAINT integrations_account_fk FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS jobs (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    label VARCHAR(255) NOT NULL DEFAULT '',
    state VARCHAR(16) NOT NULL DEFAULT 'pending',
    source VARCHAR(64) NOT NULL,
    email_count BIGINT NOT NULL DEFAULT 0,
    integration_id BIGINT NULL,
    integration_system VARCHAR(64) NULL,
    total_emails BIGINT NOT NULL DEFAULT 0,
    deliverable_count BIGINT NOT NULL DEFAULT 0,
    undeliverable_count BIGINT NOT NULL DEFAULT 0,
    risky_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    finished_at BIGINT NULL,
    error VARCHAR(2048) NOT NULL DEFAULT '',
    KEY jobs_account_created (account_id, created_at DESC, id DESC),
    KEY jobs_state (state),
    CONSTRAINT jobs_account_fk FOREIGN KEY (account_id) REFERENCES accounts(id) ON DELETE CASCADE,
    CONSTRAINT jobs_integration_fk FOREIGN KEY (integration_id) REFERENCES integrations(id)
        ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS job_rows (
    job_id BIGINT NOT NULL,
    pos BIGINT NOT NULL,
    email VARCHAR(320) NOT NULL,
    syntax VARCHAR(8) NULL,
    mx VARCHAR(8) NULL,
    mailbox VARCHAR(8) NULL,
    score SMALLINT NULL,
    classifier VARCHAR(16) NULL,
    description TEXT NULL,
    smtp_response TEXT NULL,
    extra JSON NULL,
    PRIMARY KEY (job_id, pos),
    CONSTRAINT job_rows_job_fk FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS chunks (
    job_id BIGINT NOT NULL,
    chunk_no INT NOT NULL,
    first_pos BIGINT NOT NULL,
    last_pos BIGINT NOT NULL,
    state VARCHAR(16) NOT NULL DEFAULT 'pending',
    lease_owner VARCHAR(191) NULL,
    lease_expires_at BIGINT NULL,
    heartbeat_at BIGINT NULL,
    attempts INT NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, chunk_no),
    KEY chunks_claimable (state, lease_expires_at),
    CONSTRAINT chunks_job_fk FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS webhook_subscriptions (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    url VARCHAR(2048) NOT NULL,
    secret VARCHAR(255) NOT NULL,
    events JSON NOT NULL,
    active TINYINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    KEY webhook_subscriptions_account (account_id),
    CONSTRAINT webhook_subscriptions_account_fk FOREIGN KEY (account_id) REFERENCES accounts(id)
        ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    subscription_id BIGINT NOT NULL,
    event VARCHAR(64) NOT NULL,
    body MEDIUMTEXT NOT NULL,
    state VARCHAR(16) NOT NULL DEFAULT 'pending',
    attempts INT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_status INT NULL,
    last_error TEXT NULL,
    claimed_by VARCHAR(191) NULL,
    claim_expires_at BIGINT NULL,
    created_at BIGINT NOT NULL,
    delivered_at BIGINT NULL,
    KEY webhook_deliveries_due (state, next_attempt_at),
    CONSTRAINT webhook_deliveries_subscription_fk FOREIGN KEY (subscription_id)
        REFERENCES webhook_subscriptions(id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
)sql";

}  // namespace mailsift::store::migrations
