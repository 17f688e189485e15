#include "store/sqlite/sqlite_store.h"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <sqlite3.h>

#include <chrono>

#include "store/migrations/migrations.h"
#include "store/row_mapping.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {

namespace {

using Poco::Data::RecordSet;
using Poco::Data::Session;
using Poco::Data::Statement;
using Poco::Data::Keywords::into;
using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;

/// One row of a RecordSet, in the shape row_mapping.h expects.
class RecordRow {
  public:
    RecordRow(const RecordSet& rs, std::size_t row) : rs_(rs), row_(row) {}
    std::int64_t integer(std::size_t col) const {
        return rs_.isNull(col, row_) ? 0 : rs_.value(col, row_).convert<Poco::Int64>();
    }
    std::optional<std::int64_t> optInteger(std::size_t col) const {
        if (rs_.isNull(col, row_)) {
            return std::nullopt;
        }
        return rs_.value(col, row_).convert<Poco::Int64>();
    }
    std::string text(std::size_t col) const {
        return rs_.isNull(col, row_) ? std::string() : rs_.value(col, row_).convert<std::string>();
    }

  private:
    const RecordSet& rs_;
    std::size_t row_;
};

/// Runs a prepared statement and maps every row with `map`.
template <class Map>
auto readRows(Statement& statement, Map map) {
    statement.execute();
    RecordSet rs(statement);
    std::vector<decltype(map(RecordRow(rs, 0)))> out;
    out.reserve(rs.rowCount());
    for (std::size_t row = 0; row < rs.rowCount(); ++row) {
        out.push_back(map(RecordRow(rs, row)));
    }
    return out;
}

std::int64_t lastInsertId(Session& session) {
    return sqlite3_last_insert_rowid(handle(session));
}

int changedRows(Session& session) {
    return sqlite3_changes(handle(session));
}

int currentVersion(Session& session) {
    int version = 0;
    session << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
    return version;
}

/// True when `version` is recorded (migrations may be applied out of order after branches merge:
/// a database may have 4 before 3 exists).
bool isApplied(Session& session, int version) {
    int count = 0;
    session << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", use(version),
        into(count), now;
    return count > 0;
}

std::int64_t nowMillis() {
    return toEpochMillis(std::chrono::system_clock::now());
}

}  // namespace

SqliteStore::SqliteStore(std::string path, int poolSize, int busyTimeoutMs)
    : path_(std::move(path)), pool_(path_, poolSize, busyTimeoutMs) {}

int SqliteStore::migrate() {
    return withSession([&](Session& s) {
        s << migrations::schemaMigrationsDdl(), now;
        int applied = 0;
        for (const auto& migration : migrations::all()) {
            // Each migration in its own write transaction; the version is read again inside it,
            // so a second process migrating the same file at the same time skips what is done.
            applied += inTransaction(s, [&] {
                if (isApplied(s, migration.version)) {
                    return 0;
                }
                for (const auto& statement : migrations::splitStatements(migration.sqlite)) {
                    s << statement, now;
                }
                int version = migration.version;
                std::string name = migration.name;
                std::int64_t appliedAt = nowMillis();
                s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    use(version), use(name), use(appliedAt), now;
                return 1;
            });
        }
        return applied;
    });
}

int SqliteStore::schemaVersion() {
    return withSession([&](Session& s) {
        int tables = 0;
        s << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
             "'schema_migrations'",
            into(tables), now;
        return tables == 0 ? 0 : currentVersion(s);
    });
}

void SqliteStore::ping() {
    withSession([&](Session& s) {
        int one = 0;
        s << "SELECT 1", into(one), now;
        if (one != 1) {
            throw StoreError("sqlite: SELECT 1 answered " + std::to_string(one));
        }
        return 0;
    });
}

Account SqliteStore::createAccount(std::string_view name, TimePoint at) {
    return withSession([&](Session& s) {
        std::string n(name);
        std::int64_t created = toEpochMillis(at);
        s << "INSERT INTO accounts (name, created_at) VALUES (?, ?)", use(n), use(created), now;
        return Account{lastInsertId(s), n, fromEpochMillis(created)};
    });
}

std::optional<Account> SqliteStore::findAccount(std::string_view name) {
    return withSession([&](Session& s) -> std::optional<Account> {
        std::string n(name);
        Statement st(s);
        st << std::string(kAccountSelect) + " WHERE name = ?", use(n);
        auto rows = readRows(st, [](const RecordRow& r) { return accountFromRow(r); });
        if (rows.empty()) {
            return std::nullopt;
        }
        return rows.front();
    });
}

std::int64_t SqliteStore::countAccounts() {
    return withSession([&](Session& s) {
        Poco::Int64 count = 0;
        s << "SELECT COUNT(*) FROM accounts", into(count), now;
        return static_cast<std::int64_t>(count);
    });
}

ApiKeyRecord SqliteStore::createApiKey(Id accountId, std::string_view lookupId,
                                       std::string_view secretHash, TimePoint at) {
    return withSession([&](Session& s) {
        Poco::Int64 account = accountId;
        std::string lookup(lookupId);
        std::string hash(secretHash);
        Poco::Int64 created = toEpochMillis(at);
        std::string accountName;
        Statement owner(s);
        owner << "SELECT name FROM accounts WHERE id = ?", use(account), into(accountName);
        if (owner.execute() == 0) {
            throw StoreError("sqlite: no account with id " + std::to_string(accountId));
        }
        s << "INSERT INTO api_keys (account_id, lookup_id, secret_hash, created_at) "
             "VALUES (?, ?, ?, ?)",
            use(account), use(lookup), use(hash), use(created), now;
        ApiKeyRecord key;
        key.id = lastInsertId(s);
        key.accountId = accountId;
        key.accountName = accountName;
        key.lookupId = lookup;
        key.secretHash = hash;
        key.createdAt = fromEpochMillis(created);
        return key;
    });
}

std::optional<ApiKeyRecord> SqliteStore::findApiKey(std::string_view lookupId) {
    return withSession([&](Session& s) -> std::optional<ApiKeyRecord> {
        std::string lookup(lookupId);
        Statement st(s);
        st << std::string(kApiKeySelect) + " WHERE k.lookup_id = ?", use(lookup);
        auto rows = readRows(st, [](const RecordRow& r) { return apiKeyFromRow(r); });
        if (rows.empty()) {
            return std::nullopt;
        }
        return rows.front();
    });
}

std::vector<ApiKeyRecord> SqliteStore::listApiKeys() {
    return withSession([&](Session& s) {
        Statement st(s);
        st << std::string(kApiKeySelect) + " ORDER BY k.created_at, k.id";
        return readRows(st, [](const RecordRow& r) { return apiKeyFromRow(r); });
    });
}

bool SqliteStore::revokeApiKey(Id keyId, TimePoint at) {
    return withSession([&](Session& s) {
        Poco::Int64 id = keyId;
        Poco::Int64 revoked = toEpochMillis(at);
        s << "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", use(revoked),
            use(id), now;
        return changedRows(s) == 1;
    });
}

bool SqliteStore::setJobLabel(Id accountId, Id jobId, std::string_view label) {
    return withSession([&](Session& s) {
        Poco::Int64 account = accountId;
        Poco::Int64 job = jobId;
        std::string text(label);
        s << "UPDATE jobs SET label = ? WHERE id = ? AND account_id = ?", use(text), use(job),
            use(account), now;
        return changedRows(s) == 1;
    });
}

std::vector<JobRecord> SqliteStore::listJobs(Id accountId) {
    return withSession([&](Session& s) {
        Poco::Int64 account = accountId;
        Statement st(s);
        st << std::string(kJobSelect) + " WHERE account_id = ?" + kJobOrder, use(account);
        return readRows(st, [](const RecordRow& r) { return jobFromRow(r); });
    });
}

std::optional<JobRecord> SqliteStore::findJob(Id accountId, Id jobId) {
    return withSession([&](Session& s) -> std::optional<JobRecord> {
        Poco::Int64 account = accountId;
        Poco::Int64 job = jobId;
        Statement st(s);
        st << std::string(kJobSelect) + " WHERE id = ? AND account_id = ?", use(job), use(account);
        auto rows = readRows(st, [](const RecordRow& r) { return jobFromRow(r); });
        if (rows.empty()) {
            return std::nullopt;
        }
        return rows.front();
    });
}

}  // namespace mailsift::store::sqlite
