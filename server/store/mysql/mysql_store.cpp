#include "store/mysql/mysql_store.h"

#include <chrono>

#include "store/migrations/migrations.h"
#include "store/mysql/mysql_rows.h"
#include "store/row_mapping.h"

namespace mailsift::store::mysql {

namespace {

constexpr int kMigrationLockWaitSeconds = 120;
constexpr int kDuplicateColumn = 1060;
constexpr int kDuplicateIndex = 1061;

bool hasMigrationsTable(Connection& c) {
    return c.queryInteger(
               "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
               "AND table_name = 'schema_migrations'") > 0;
}

}  // namespace

MysqlStore::MysqlStore(ConnectionSettings settings, int poolSize)
    : pool_(std::move(settings), poolSize) {}

int MysqlStore::migrate() {
    // GET_LOCK is server-wide, so the lock is named after the database.
    const std::string lockName = ("mailsift.migrate." + pool_.settings().database).substr(0, 64);
    return pool_.run([&](Connection& c) {
        if (c.queryInteger("SELECT GET_LOCK(?, ?)",
                           {lockName, std::int64_t{kMigrationLockWaitSeconds}}) != 1) {
            throw StoreError("mysql: another server kept the migration lock " + lockName + " for " +
                             std::to_string(kMigrationLockWaitSeconds) + " s");
        }
        struct Unlock {
            Connection& c;
            const std::string& name;
            ~Unlock() {
                try {
                    c.queryInteger("SELECT RELEASE_LOCK(?)", {name});
                } catch (...) {  // a lost connection releases the lock by itself
                }
            }
        } unlock{c, lockName};

        c.execute(migrations::schemaMigrationsDdl());
        int applied = 0;
        for (const auto& migration : migrations::all()) {
            // Each version by itself: after branches merge, a database may have 4 before 3.
            if (c.queryInteger("SELECT COUNT(*) FROM schema_migrations WHERE version = ?",
                               {std::int64_t{migration.version}}) > 0) {
                continue;
            }
            // MySQL commits DDL implicitly, so a migration is not atomic here; the lock keeps
            // other servers out and the statements are written to be re-runnable.
            for (const auto& statement : migrations::splitStatements(migration.mysql)) {
                try {
                    c.execute(statement);
                } catch (const sql::SQLException& e) {
                    // MySQL has no ADD COLUMN IF NOT EXISTS: when a migration was cut short and
                    // runs again, a column or index that is there already is what we wanted.
                    if (e.getErrorCode() != kDuplicateColumn &&
                        e.getErrorCode() != kDuplicateIndex) {
                        throw;
                    }
                }
            }
            const std::int64_t appliedAt = toEpochMillis(std::chrono::system_clock::now());
            c.update("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                     {std::int64_t{migration.version}, std::string(migration.name), appliedAt});
            ++applied;
        }
        return applied;
    });
}

int MysqlStore::schemaVersion() {
    return pool_.run([&](Connection& c) {
        if (!hasMigrationsTable(c)) {
            return 0;
        }
        return static_cast<int>(
            c.queryInteger("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    });
}

void MysqlStore::ping() {
    pool_.run([&](Connection& c) {
        if (c.queryInteger("SELECT 1") != 1) {
            throw StoreError("mysql: SELECT 1 did not answer 1");
        }
        return 0;
    });
}

Account MysqlStore::createAccount(std::string_view name, TimePoint now) {
    return pool_.run([&](Connection& c) {
        const std::int64_t created = toEpochMillis(now);
        c.update("INSERT INTO accounts (name, created_at) VALUES (?, ?)",
                 {std::string(name), created});
        return Account{c.lastInsertId(), std::string(name), fromEpochMillis(created)};
    });
}

std::optional<Account> MysqlStore::findAccount(std::string_view name) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(std::string(kAccountSelect) + " WHERE name = ?", {std::string(name)});
        return first(readRows(*rs, [](const ResultRow& r) { return accountFromRow(r); }));
    });
}

std::int64_t MysqlStore::countAccounts() {
    return pool_.run(
        [&](Connection& c) { return c.queryInteger("SELECT COUNT(*) FROM accounts"); });
}

ApiKeyRecord MysqlStore::createApiKey(Id accountId, std::string_view lookupId,
                                      std::string_view secretHash, TimePoint now) {
    return pool_.run([&](Connection& c) {
        auto owner = c.query("SELECT name FROM accounts WHERE id = ?", {accountId});
        if (!owner->next()) {
            throw StoreError("mysql: no account with id " + std::to_string(accountId));
        }
        ApiKeyRecord key;
        key.accountId = accountId;
        key.accountName = ResultRow(*owner).text(0);
        owner.reset();
        key.lookupId = std::string(lookupId);
        key.secretHash = std::string(secretHash);
        key.createdAt = fromEpochMillis(toEpochMillis(now));
        c.update(
            "INSERT INTO api_keys (account_id, lookup_id, secret_hash, created_at) "
            "VALUES (?, ?, ?, ?)",
            {accountId, key.lookupId, key.secretHash, toEpochMillis(now)});
        key.id = c.lastInsertId();
        return key;
    });
}

std::optional<ApiKeyRecord> MysqlStore::findApiKey(std::string_view lookupId) {
    return pool_.run([&](Connection& c) {
        auto rs =
            c.query(std::string(kApiKeySelect) + " WHERE k.lookup_id = ?", {std::string(lookupId)});
        return first(readRows(*rs, [](const ResultRow& r) { return apiKeyFromRow(r); }));
    });
}

std::vector<ApiKeyRecord> MysqlStore::listApiKeys() {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(std::string(kApiKeySelect) + " ORDER BY k.created_at, k.id");
        return readRows(*rs, [](const ResultRow& r) { return apiKeyFromRow(r); });
    });
}

bool MysqlStore::revokeApiKey(Id keyId, TimePoint now) {
    return pool_.run([&](Connection& c) {
        return c.update("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                        {toEpochMillis(now), keyId}) == 1;
    });
}

bool MysqlStore::setJobLabel(Id accountId, Id jobId, std::string_view label) {
    return pool_.run([&](Connection& c) {
        // Compare rows found, not changed: the same label again is still a success.
        auto rs = c.query("SELECT 1 FROM jobs WHERE id = ? AND account_id = ?", {jobId, accountId});
        if (!rs->next())
            return false;
        c.update("UPDATE jobs SET label = ? WHERE id = ? AND account_id = ?",
                 {std::string(label), jobId, accountId});
        return true;
    });
}

std::vector<JobRecord> MysqlStore::listJobs(Id accountId) {
    return pool_.run([&](Connection& c) {
        auto rs =
            c.query(std::string(kJobSelect) + " WHERE account_id = ?" + kJobOrder, {accountId});
        return readRows(*rs, [](const ResultRow& r) { return jobFromRow(r); });
    });
}

std::optional<JobRecord> MysqlStore::findJob(Id accountId, Id jobId) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(std::string(kJobSelect) + " WHERE id = ? AND account_id = ?",
                          {jobId, accountId});
        return first(readRows(*rs, [](const ResultRow& r) { return jobFromRow(r); }));
    });
}

}  // namespace mailsift::store::mysql
