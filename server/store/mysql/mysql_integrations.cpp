// MysqlStore: the integrations table.

#include "store/integration_rows.h"
#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"

namespace mailsift::store::mysql {

IntegrationRecord MysqlStore::createIntegration(const IntegrationRecord& integration,
                                                TimePoint at) {
    return pool_.run([&](Connection& c) {
        const std::int64_t nowMs = toEpochMillis(at);
        c.update(
            "INSERT INTO integrations (account_id, `system`, name, credentials, options, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            {integration.accountId, integration.system, integration.name,
             integration.sealedCredentials, integration.optionsJson, nowMs, nowMs});
        IntegrationRecord stored = integration;
        stored.id = c.lastInsertId();
        stored.createdAt = fromEpochMillis(nowMs);
        stored.updatedAt = stored.createdAt;
        return stored;
    });
}

std::vector<IntegrationRecord> MysqlStore::listIntegrations(Id accountId) {
    return pool_.run([&](Connection& c) {
        auto rs =
            c.query(std::string(kIntegrationSelectMysql) + " WHERE account_id = ? ORDER BY id",
                    {accountId});
        return readRows(*rs, [](const ResultRow& r) { return integrationFromRow(r); });
    });
}

std::optional<IntegrationRecord> MysqlStore::findIntegration(Id accountId, Id integrationId) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(std::string(kIntegrationSelectMysql) + " WHERE id = ? AND account_id = ?",
                          {integrationId, accountId});
        return first(readRows(*rs, [](const ResultRow& r) { return integrationFromRow(r); }));
    });
}

bool MysqlStore::deleteIntegration(Id accountId, Id integrationId) {
    return pool_.run([&](Connection& c) {
        return c.update("DELETE FROM integrations WHERE id = ? AND account_id = ?",
                        {integrationId, accountId}) == 1;
    });
}

}  // namespace mailsift::store::mysql
