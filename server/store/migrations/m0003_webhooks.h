#pragma once

// Migration 3: what the webhook outbox and its dispatcher need.
//
// - webhook_subscriptions.updated_at: when the subscription last changed (epoch ms).
// - webhook_deliveries.job_id: the job the event is about (no foreign key: the event outlives a
//   job deleted after it finished).
// - webhook_deliveries.claim_token: changes with every claim; recording an attempt must present
//   it, so a dispatcher whose claim expired and was taken over writes nothing.
// - webhook_deliveries_claimable (state, next_attempt_at, claim_expires_at): the due scan.

namespace mailsift::store::migrations {

inline constexpr const char* kWebhooksSqlite = R"sql(
ALTER TABLE webhook_subscriptions ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN job_id INTEGER;
ALTER TABLE webhook_deliveries ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries(subscription_id, id);
)sql";

inline constexpr const char* kWebhooksMysql = R"sql(
ALTER TABLE webhook_subscriptions ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE webhook_deliveries ADD COLUMN job_id BIGINT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN claim_token BIGINT NOT NULL DEFAULT 0;
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, id);
)sql";

}  // namespace mailsift::store::migrations
