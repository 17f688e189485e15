// SqliteStore: the integrations table.

#include "store/integration_rows.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {

using Poco::Data::Session;

IntegrationRecord SqliteStore::createIntegration(const IntegrationRecord& integration,
                                                 TimePoint at) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        const std::int64_t nowMs = toEpochMillis(at);
        SqliteStatement insert(db,
                               "INSERT INTO integrations (account_id, system, name, credentials, "
                               "options, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        insert.bind(1, integration.accountId)
            .bind(2, integration.system)
            .bind(3, integration.name)
            .bind(4, integration.sealedCredentials)
            .bind(5, integration.optionsJson)
            .bind(6, nowMs)
            .bind(7, nowMs)
            .run();
        IntegrationRecord stored = integration;
        stored.id = sqlite3_last_insert_rowid(db);
        stored.createdAt = fromEpochMillis(nowMs);
        stored.updatedAt = stored.createdAt;
        return stored;
    });
}

std::vector<IntegrationRecord> SqliteStore::listIntegrations(Id accountId) {
    return withSession([&](Session& s) {
        SqliteStatement st(
            handle(s), std::string(kIntegrationSelectSqlite) + " WHERE account_id = ? ORDER BY id");
        st.bind(1, accountId);
        std::vector<IntegrationRecord> out;
        while (st.step())
            out.push_back(integrationFromRow(st));
        return out;
    });
}

std::optional<IntegrationRecord> SqliteStore::findIntegration(Id accountId, Id integrationId) {
    return withSession([&](Session& s) -> std::optional<IntegrationRecord> {
        SqliteStatement st(
            handle(s), std::string(kIntegrationSelectSqlite) + " WHERE id = ? AND account_id = ?");
        st.bind(1, integrationId).bind(2, accountId);
        if (!st.step())
            return std::nullopt;
        return integrationFromRow(st);
    });
}

bool SqliteStore::deleteIntegration(Id accountId, Id integrationId) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        SqliteStatement del(db, "DELETE FROM integrations WHERE id = ? AND account_id = ?");
        del.bind(1, integrationId).bind(2, accountId).run();
        return changes(db) == 1;
    });
}

}  // namespace mailsift::store::sqlite
