// MysqlStore: webhook subscriptions, the outbox, and claiming deliveries for the dispatcher.
//
// A claim is one conditional UPDATE per candidate (state pending, due, no live claim) that also
// sets a fresh token. InnoDB makes a second claimer of the same row wait for the first and then
// re-read the committed row, so it finds the claim live and changes nothing: every server may
// run a dispatcher and a delivery still goes out once per claim.

#include <string>

#include "store/lease_token.h"
#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"
#include "store/webhook_event_body.h"
#include "store/webhook_rows.h"

namespace mailsift::store::mysql {

namespace {

std::optional<WebhookRecord> webhookOf(Connection& c, Id accountId, Id webhookId) {
    auto rs = c.query(std::string(kWebhookSelect) + " WHERE id = ? AND account_id = ?",
                      {webhookId, accountId});
    return first(readRows(*rs, [](const ResultRow& r) { return webhookFromRow(r); }));
}

}  // namespace

void writeJobEvent(Connection& c, Id jobId, const std::string& event, std::int64_t nowMs) {
    const auto job = jobById(c, jobId);
    if (!job) {
        return;
    }
    std::vector<Id> targets;
    {
        auto rs = c.query(kOutboxSubscriptions, {job->accountId});
        while (rs->next()) {
            const ResultRow row(*rs);
            if (hasEvent(row.text(1), event)) {
                targets.push_back(row.integer(0));
            }
        }
    }
    if (targets.empty()) {
        return;
    }
    const std::string body = webhookEventBody(event, *job);
    for (const Id target : targets) {
        c.update(kOutboxInsert, {target, event, body, jobId, nowMs, nowMs});
    }
}

WebhookRecord MysqlStore::createWebhook(Id accountId, const std::string& url,
                                        const std::string& secret,
                                        const std::vector<std::string>& events, TimePoint now) {
    return pool_.run([&](Connection& c) {
        c.update(
            "INSERT INTO webhook_subscriptions (account_id, url, secret, events, active, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
            {accountId, url, secret, encodeEvents(events), toEpochMillis(now), toEpochMillis(now)});
        return *webhookOf(c, accountId, c.lastInsertId());
    });
}

std::vector<WebhookRecord> MysqlStore::listWebhooks(Id accountId) {
    return pool_.run([&](Connection& c) {
        auto rs =
            c.query(std::string(kWebhookSelect) + " WHERE account_id = ? ORDER BY id", {accountId});
        return readRows(*rs, [](const ResultRow& r) { return webhookFromRow(r); });
    });
}

std::optional<WebhookRecord> MysqlStore::findWebhook(Id accountId, Id webhookId) {
    return pool_.run([&](Connection& c) { return webhookOf(c, accountId, webhookId); });
}

std::optional<WebhookRecord> MysqlStore::updateWebhook(Id accountId, Id webhookId,
                                                       const WebhookUpdate& update, TimePoint now) {
    return pool_.transaction([&](Connection& c) -> std::optional<WebhookRecord> {
        {
            auto rs = c.query(
                "SELECT 1 FROM webhook_subscriptions WHERE id = ? AND account_id = ? FOR UPDATE",
                {webhookId, accountId});
            if (!rs->next()) {
                return std::nullopt;
            }
        }
        const auto current = webhookOf(c, accountId, webhookId);
        c.update(
            "UPDATE webhook_subscriptions SET url = ?, events = ?, active = ?, updated_at = ? "
            "WHERE id = ?",
            {update.url.value_or(current->url),
             encodeEvents(update.events.value_or(current->events)),
             std::int64_t{update.active.value_or(current->active) ? 1 : 0}, toEpochMillis(now),
             webhookId});
        return webhookOf(c, accountId, webhookId);
    });
}

bool MysqlStore::deleteWebhook(Id accountId, Id webhookId) {
    return pool_.transaction([&](Connection& c) {
        {
            auto rs = c.query(
                "SELECT 1 FROM webhook_subscriptions WHERE id = ? AND account_id = ? FOR UPDATE",
                {webhookId, accountId});
            if (!rs->next()) {
                return false;
            }
        }
        c.update("DELETE FROM webhook_deliveries WHERE subscription_id = ?", {webhookId});
        c.update("DELETE FROM webhook_subscriptions WHERE id = ?", {webhookId});
        return true;
    });
}

std::vector<DeliveryRecord> MysqlStore::listDeliveries(Id accountId, Id webhookId, int limit) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query(kDeliveryList, {webhookId, accountId, std::int64_t{limit}});
        return readRows(*rs, [](const ResultRow& r) { return deliveryFromRow(r); });
    });
}

std::vector<ClaimedDelivery> MysqlStore::claimDeliveries(const std::string& owner, TimePoint now,
                                                         std::chrono::milliseconds ttl, int limit) {
    const std::int64_t nowMs = toEpochMillis(now);
    const std::vector<Id> ids = pool_.run([&](Connection& c) {
        auto rs = c.query(kDeliveryCandidates, {nowMs, nowMs, std::int64_t{limit}});
        return readRows(*rs, [](const ResultRow& r) { return r.integer(0); });
    });
    std::vector<ClaimedDelivery> claimed;
    for (const Id id : ids) {
        const std::int64_t token = newLeaseToken();
        // Each claim commits on its own (autocommit), so a claimer never holds one row's lock
        // while it waits for another's.
        auto delivery = pool_.run([&](Connection& c) -> std::optional<ClaimedDelivery> {
            if (c.update(kDeliveryTake, {owner, token, nowMs + ttl.count(), id, nowMs, nowMs}) !=
                1) {
                return std::nullopt;
            }
            auto rs = c.query(kClaimedSelect, {id});
            return first(
                readRows(*rs, [&](const ResultRow& r) { return claimedFromRow(r, owner); }));
        });
        if (delivery && delivery->token == token) {
            claimed.push_back(std::move(*delivery));
        }
    }
    return claimed;
}

bool MysqlStore::recordDeliveryAttempt(const ClaimedDelivery& claim, const DeliveryAttempt& attempt,
                                       TimePoint now) {
    const std::int64_t nowMs = toEpochMillis(now);
    std::vector<Param> params;
    params.emplace_back(std::string(deliveryState(attempt.outcome)));
    if (attempt.status) {
        params.emplace_back(std::int64_t{*attempt.status});
    } else {
        params.emplace_back(nullptr);
    }
    params.emplace_back(truncateUtf8(attempt.error, 1000));
    params.emplace_back(attempt.outcome == DeliveryAttempt::Outcome::retry
                            ? toEpochMillis(attempt.nextAttemptAt)
                            : nowMs);
    if (attempt.outcome == DeliveryAttempt::Outcome::delivered) {
        params.emplace_back(nowMs);
    } else {
        params.emplace_back(nullptr);
    }
    params.emplace_back(claim.id);
    params.emplace_back(claim.owner);
    params.emplace_back(claim.token);
    return pool_.run([&](Connection& c) { return c.update(kDeliveryRecord, params) == 1; });
}

}  // namespace mailsift::store::mysql
