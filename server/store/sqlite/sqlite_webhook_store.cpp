// SqliteStore: webhook subscriptions, the outbox, and claiming deliveries for the dispatcher.

#include <string>

#include "store/lease_token.h"
#include "store/sqlite/sqlite_store_impl.h"
#include "store/webhook_event_body.h"
#include "store/webhook_rows.h"

namespace mailsift::store::sqlite {

namespace {

using Poco::Data::Session;

std::optional<WebhookRecord> webhookOf(sqlite3* db, Id accountId, Id webhookId) {
    SqliteStatement st(db, std::string(kWebhookSelect) + " WHERE id = ? AND account_id = ?");
    st.bind(1, webhookId).bind(2, accountId);
    if (!st.step()) {
        return std::nullopt;
    }
    return webhookFromRow(st);
}

}  // namespace

void writeJobEvent(sqlite3* db, Id jobId, const std::string& event, std::int64_t nowMs) {
    const auto job = jobById(db, jobId);
    if (!job) {
        return;
    }
    SqliteStatement subscriptions(db, kOutboxSubscriptions);
    subscriptions.bind(1, job->accountId);
    std::vector<Id> targets;
    while (subscriptions.step()) {
        if (hasEvent(subscriptions.text(1), event)) {
            targets.push_back(subscriptions.integer(0));
        }
    }
    if (targets.empty()) {
        return;
    }
    const std::string body = webhookEventBody(event, *job);
    SqliteStatement insert(db, kOutboxInsert);
    for (const Id target : targets) {
        insert.bind(1, target).bind(2, event).bind(3, body).bind(4, jobId).bind(5, nowMs).bind(
            6, nowMs);
        insert.run();
    }
}

WebhookRecord SqliteStore::createWebhook(Id accountId, const std::string& url,
                                         const std::string& secret,
                                         const std::vector<std::string>& events, TimePoint now) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        SqliteStatement insert(db,
                               "INSERT INTO webhook_subscriptions (account_id, url, secret, "
                               "events, active, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, "
                               "?)");
        insert.bind(1, accountId)
            .bind(2, url)
            .bind(3, secret)
            .bind(4, encodeEvents(events))
            .bind(5, toEpochMillis(now))
            .bind(6, toEpochMillis(now))
            .run();
        return *webhookOf(db, accountId, sqlite3_last_insert_rowid(db));
    });
}

std::vector<WebhookRecord> SqliteStore::listWebhooks(Id accountId) {
    return withSession([&](Session& s) {
        SqliteStatement st(handle(s),
                           std::string(kWebhookSelect) + " WHERE account_id = ? ORDER BY id");
        st.bind(1, accountId);
        std::vector<WebhookRecord> out;
        while (st.step()) {
            out.push_back(webhookFromRow(st));
        }
        return out;
    });
}

std::optional<WebhookRecord> SqliteStore::findWebhook(Id accountId, Id webhookId) {
    return withSession([&](Session& s) { return webhookOf(handle(s), accountId, webhookId); });
}

std::optional<WebhookRecord> SqliteStore::updateWebhook(Id accountId, Id webhookId,
                                                        const WebhookUpdate& update,
                                                        TimePoint now) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&]() -> std::optional<WebhookRecord> {
            sqlite3* db = handle(s);
            auto current = webhookOf(db, accountId, webhookId);
            if (!current) {
                return std::nullopt;
            }
            SqliteStatement st(db,
                               "UPDATE webhook_subscriptions SET url = ?, events = ?, active = ?, "
                               "updated_at = ? WHERE id = ?");
            st.bind(1, update.url.value_or(current->url))
                .bind(2, encodeEvents(update.events.value_or(current->events)))
                .bind(3, std::int64_t{update.active.value_or(current->active) ? 1 : 0})
                .bind(4, toEpochMillis(now))
                .bind(5, webhookId)
                .run();
            return webhookOf(db, accountId, webhookId);
        });
    });
}

bool SqliteStore::deleteWebhook(Id accountId, Id webhookId) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            if (!webhookOf(db, accountId, webhookId)) {
                return false;
            }
            SqliteStatement deliveries(db,
                                       "DELETE FROM webhook_deliveries WHERE subscription_id = ?");
            deliveries.bind(1, webhookId).run();
            SqliteStatement subscription(db, "DELETE FROM webhook_subscriptions WHERE id = ?");
            subscription.bind(1, webhookId).run();
            return true;
        });
    });
}

std::vector<DeliveryRecord> SqliteStore::listDeliveries(Id accountId, Id webhookId, int limit) {
    return withSession([&](Session& s) {
        SqliteStatement st(handle(s), kDeliveryList);
        st.bind(1, webhookId).bind(2, accountId).bind(3, std::int64_t{limit});
        std::vector<DeliveryRecord> out;
        while (st.step()) {
            out.push_back(deliveryFromRow(st));
        }
        return out;
    });
}

std::vector<ClaimedDelivery> SqliteStore::claimDeliveries(const std::string& owner, TimePoint now,
                                                          std::chrono::milliseconds ttl,
                                                          int limit) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            const std::int64_t nowMs = toEpochMillis(now);
            std::vector<Id> ids;
            {
                SqliteStatement candidates(db, kDeliveryCandidates);
                candidates.bind(1, nowMs).bind(2, nowMs).bind(3, std::int64_t{limit});
                while (candidates.step()) {
                    ids.push_back(candidates.integer(0));
                }
            }
            std::vector<ClaimedDelivery> claimed;
            SqliteStatement take(db, kDeliveryTake);
            SqliteStatement read(db, kClaimedSelect);
            for (const Id id : ids) {
                take.bind(1, owner)
                    .bind(2, newLeaseToken())
                    .bind(3, nowMs + ttl.count())
                    .bind(4, id)
                    .bind(5, nowMs)
                    .bind(6, nowMs)
                    .run();
                if (changes(db) != 1) {
                    continue;
                }
                read.reset();
                read.bind(1, id);
                if (read.step()) {
                    claimed.push_back(claimedFromRow(read, owner));
                }
            }
            return claimed;
        });
    });
}

bool SqliteStore::recordDeliveryAttempt(const ClaimedDelivery& claim,
                                        const DeliveryAttempt& attempt, TimePoint now) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        const std::int64_t nowMs = toEpochMillis(now);
        SqliteStatement st(db, kDeliveryRecord);
        st.bind(1, std::string(deliveryState(attempt.outcome)));
        if (attempt.status) {
            st.bind(2, std::int64_t{*attempt.status});
        } else {
            st.bindNull(2);
        }
        st.bind(3, truncateUtf8(attempt.error, 1000));
        st.bind(4, attempt.outcome == DeliveryAttempt::Outcome::retry
                       ? toEpochMillis(attempt.nextAttemptAt)
                       : nowMs);
        if (attempt.outcome == DeliveryAttempt::Outcome::delivered) {
            st.bind(5, nowMs);
        } else {
            st.bindNull(5);
        }
        st.bind(6, claim.id).bind(7, claim.owner).bind(8, claim.token).run();
        return changes(db) == 1;
    });
}

}  // namespace mailsift::store::sqlite
