#pragma once

#include <Poco/JSON/Object.h>

#include "store/store.h"

namespace mailsift::http {

/// {"id","url","events","active","createdAt","updatedAt"}, plus "secret" when `withSecret` (only
/// the answer to POST /v1/webhooks shows it).
Poco::JSON::Object::Ptr webhookToJson(const store::WebhookRecord& webhook, bool withSecret);

/// {"id","event","jobId","state","attempts","lastStatus","lastError","nextAttemptAt",
/// "createdAt","deliveredAt"}; nextAttemptAt is null once the delivery is no longer pending.
Poco::JSON::Object::Ptr deliveryToJson(const store::DeliveryRecord& delivery);

}  // namespace mailsift::http
