#pragma once

// SQL text and row mapping of the webhook tables, shared by both back-ends (see row_mapping.h).

#include <string>
#include <vector>

#include "store/epoch_millis.h"
#include "store/store.h"

namespace mailsift::store {

inline constexpr const char* kWebhookSelect =
    "SELECT id, account_id, url, secret, events, active, created_at, updated_at "
    "FROM webhook_subscriptions";

/// Events are stored as a JSON array of names; names are checked before they are stored (letters,
/// digits, dots, underscores), so no escaping is needed either way.
inline std::string encodeEvents(const std::vector<std::string>& events) {
    std::string out = "[";
    for (std::size_t i = 0; i < events.size(); ++i) {
        out += (i == 0 ? "\"" : ",\"") + events[i] + "\"";
    }
    return out + "]";
}

inline std::vector<std::string> decodeEvents(const std::string& text) {
    std::vector<std::string> events;
    std::size_t at = 0;
    while ((at = text.find('"', at)) != std::string::npos) {
        const std::size_t end = text.find('"', at + 1);
        if (end == std::string::npos) {
            break;
        }
        events.push_back(text.substr(at + 1, end - at - 1));
        at = end + 1;
    }
    return events;
}

inline bool hasEvent(const std::string& encodedEvents, const std::string& event) {
    return encodedEvents.find("\"" + event + "\"") != std::string::npos;
}

template <class Row>
WebhookRecord webhookFromRow(const Row& row) {
    WebhookRecord w;
    w.id = row.integer(0);
    w.accountId = row.integer(1);
    w.url = row.text(2);
    w.secret = row.text(3);
    w.events = decodeEvents(row.text(4));
    w.active = row.integer(5) != 0;
    w.createdAt = fromEpochMillis(row.integer(6));
    w.updatedAt = fromEpochMillis(row.integer(7));
    return w;
}

/// A subscription's deliveries, newest first; bind subscription id, account id, then LIMIT.
inline constexpr const char* kDeliveryList =
    "SELECT d.id, d.subscription_id, d.event, d.job_id, d.state, d.attempts, d.last_status, "
    "d.last_error, d.next_attempt_at, d.created_at, d.delivered_at FROM webhook_deliveries d "
    "JOIN webhook_subscriptions s ON s.id = d.subscription_id WHERE d.subscription_id = ? AND "
    "s.account_id = ? ORDER BY d.id DESC LIMIT ?";

template <class Row>
DeliveryRecord deliveryFromRow(const Row& row) {
    DeliveryRecord d;
    d.id = row.integer(0);
    d.subscriptionId = row.integer(1);
    d.event = row.text(2);
    d.jobId = row.optInteger(3);
    d.state = row.text(4);
    d.attempts = static_cast<int>(row.integer(5));
    if (auto status = row.optInteger(6)) {
        d.lastStatus = static_cast<int>(*status);
    }
    d.lastError = row.text(7);
    d.nextAttemptAt = fromEpochMillis(row.integer(8));
    d.createdAt = fromEpochMillis(row.integer(9));
    if (auto delivered = row.optInteger(10)) {
        d.deliveredAt = fromEpochMillis(*delivered);
    }
    return d;
}

/// Due deliveries of active subscriptions, oldest due first; bind now, then LIMIT. Read without
/// locks: each candidate is then taken with kDeliveryTake, which re-checks the condition.
inline constexpr const char* kDeliveryCandidates =
    "SELECT d.id FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = "
    "d.subscription_id WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND "
    "COALESCE(d.claim_expires_at, 0) < ? AND s.active = 1 ORDER BY d.next_attempt_at, d.id "
    "LIMIT ?";

/// Claims one delivery if it is still due and unclaimed: bind owner, token, expiry, id, now, now.
/// One row changed means the claim is ours (the token always changes the row).
inline constexpr const char* kDeliveryTake =
    "UPDATE webhook_deliveries SET claimed_by = ?, claim_token = ?, claim_expires_at = ?, "
    "attempts = attempts + 1 WHERE id = ? AND state = 'pending' AND next_attempt_at <= ? AND "
    "COALESCE(claim_expires_at, 0) < ?";

/// What the dispatcher needs of a claimed delivery; bind the id.
inline constexpr const char* kClaimedSelect =
    "SELECT d.id, d.subscription_id, s.url, s.secret, d.event, d.body, d.attempts, "
    "d.claim_token FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = "
    "d.subscription_id WHERE d.id = ?";

template <class Row>
ClaimedDelivery claimedFromRow(const Row& row, const std::string& owner) {
    ClaimedDelivery c;
    c.id = row.integer(0);
    c.subscriptionId = row.integer(1);
    c.url = row.text(2);
    c.secret = row.text(3);
    c.event = row.text(4);
    c.body = row.text(5);
    c.attempts = static_cast<int>(row.integer(6));
    c.token = row.integer(7);
    c.owner = owner;
    return c;
}

/// Records an attempt if the claim still holds: bind state, last_status (or NULL), last_error,
/// next_attempt_at, delivered_at (or NULL), id, owner, token.
inline constexpr const char* kDeliveryRecord =
    "UPDATE webhook_deliveries SET state = ?, last_status = ?, last_error = ?, "
    "next_attempt_at = ?, delivered_at = ?, claimed_by = NULL, claim_expires_at = NULL "
    "WHERE id = ? AND claimed_by = ? AND claim_token = ? AND state = 'pending'";

inline const char* deliveryState(DeliveryAttempt::Outcome outcome) {
    switch (outcome) {
        case DeliveryAttempt::Outcome::delivered:
            return "delivered";
        case DeliveryAttempt::Outcome::gaveUp:
            return "failed";
        case DeliveryAttempt::Outcome::retry:
            break;
    }
    return "pending";
}

/// Active subscriptions of an account (for the outbox); bind the account id.
inline constexpr const char* kOutboxSubscriptions =
    "SELECT id, events FROM webhook_subscriptions WHERE account_id = ? AND active = 1 ORDER BY id";

/// One outbox row: bind subscription id, event, body, job id, now (next attempt), now (created).
inline constexpr const char* kOutboxInsert =
    "INSERT INTO webhook_deliveries (subscription_id, event, body, job_id, state, attempts, "
    "next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)";

}  // namespace mailsift::store
