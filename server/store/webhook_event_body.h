#pragma once

#include <string>

#include "store/store.h"

namespace mailsift::store {

/// The body of a webhook delivery for `job` (API.md, Webhooks): {"event", "jobId", "accountId",
/// "label", "state", "emailCount", "deliverableCount", "undeliverableCount", "riskyCount",
/// "createdAt", "finishedAt", "job": <job object>}. Written once, when the event is stored, so
/// every attempt sends (and signs) the same bytes. The job object has the shape of the API's
/// (http::jobToJson); a unit test keeps the two equal.
std::string webhookEventBody(const std::string& event, const JobRecord& job);

}  // namespace mailsift::store
