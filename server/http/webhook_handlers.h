#pragma once

#include "http/router.h"
#include "store/store.h"

namespace mailsift::http {

/// Subscriptions the account may hold at once; more answer 400.
inline constexpr std::size_t kMaxWebhooksPerAccount = 100;
/// Deliveries GET /v1/webhooks/{id}/deliveries shows (the most recent).
inline constexpr int kDeliveriesShown = 100;

/// POST/GET /v1/webhooks, PUT/DELETE /v1/webhooks/{id}, GET /v1/webhooks/{id}/deliveries.
void registerWebhookRoutes(Router& router, store::Store& store);

}  // namespace mailsift::http
