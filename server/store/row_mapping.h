#pragma once

// SQL text and row-to-record mapping shared by the back-ends, so that both read the same columns
// in the same order. A Row is any type with integer(col), optInteger(col) and text(col) (NULL
// text reads as ""), columns counted from 0.

#include "store/epoch_millis.h"
#include "store/store.h"

namespace mailsift::store {

inline constexpr const char* kAccountSelect = "SELECT id, name, created_at FROM accounts";

template <class Row>
Account accountFromRow(const Row& row) {
    Account a;
    a.id = row.integer(0);
    a.name = row.text(1);
    a.createdAt = fromEpochMillis(row.integer(2));
    return a;
}

inline constexpr const char* kApiKeySelect =
    "SELECT k.id, k.account_id, a.name, k.lookup_id, k.secret_hash, k.created_at, k.revoked_at "
    "FROM api_keys k JOIN accounts a ON a.id = k.account_id";

template <class Row>
ApiKeyRecord apiKeyFromRow(const Row& row) {
    ApiKeyRecord k;
    k.id = row.integer(0);
    k.accountId = row.integer(1);
    k.accountName = row.text(2);
    k.lookupId = row.text(3);
    k.secretHash = row.text(4);
    k.createdAt = fromEpochMillis(row.integer(5));
    if (auto revoked = row.optInteger(6)) {
        k.revokedAt = fromEpochMillis(*revoked);
    }
    return k;
}

inline constexpr const char* kJobSelect =
    "SELECT id, account_id, label, state, source, email_count, integration_id, "
    "integration_system, total_emails, deliverable_count, undeliverable_count, risky_count, "
    "created_at, finished_at, error FROM jobs";

/// Newest first; the id breaks ties between jobs created in the same millisecond.
inline constexpr const char* kJobOrder = " ORDER BY created_at DESC, id DESC";

template <class Row>
JobRecord jobFromRow(const Row& row) {
    JobRecord j;
    j.id = row.integer(0);
    j.accountId = row.integer(1);
    j.label = row.text(2);
    j.state = row.text(3);
    j.source = row.text(4);
    j.emailCount = row.integer(5);
    j.integrationId = row.optInteger(6);
    j.integrationSystem = j.integrationId ? row.text(7) : std::string();
    j.totalEmails = row.integer(8);
    j.deliverableCount = row.integer(9);
    j.undeliverableCount = row.integer(10);
    j.riskyCount = row.integer(11);
    j.createdAt = fromEpochMillis(row.integer(12));
    if (auto finished = row.optInteger(13)) {
        j.finishedAt = fromEpochMillis(*finished);
    }
    j.error = row.text(14);
    return j;
}

}  // namespace mailsift::store
