#pragma once

// SQL text and row mapping of the integrations table, shared by both back-ends (see
// row_mapping.h for the Row model).

#include <string>

#include "store/epoch_millis.h"
#include "store/integration_records.h"

namespace mailsift::store {

/// `system` is quoted with backticks on MySQL (a reserved word there); callers pick the text.
inline constexpr const char* kIntegrationSelectSqlite =
    "SELECT id, account_id, system, name, credentials, options, created_at, updated_at "
    "FROM integrations";
inline constexpr const char* kIntegrationSelectMysql =
    "SELECT id, account_id, `system`, name, credentials, options, created_at, updated_at "
    "FROM integrations";

template <class Row>
IntegrationRecord integrationFromRow(const Row& row) {
    IntegrationRecord i;
    i.id = row.integer(0);
    i.accountId = row.integer(1);
    i.system = row.text(2);
    i.name = row.text(3);
    i.sealedCredentials = row.text(4);
    i.optionsJson = row.text(5);
    if (i.optionsJson.empty())
        i.optionsJson = "{}";
    i.createdAt = fromEpochMillis(row.integer(6));
    i.updatedAt = fromEpochMillis(row.integer(7));
    return i;
}

}  // namespace mailsift::store
