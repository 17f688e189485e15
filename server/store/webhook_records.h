#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/job_records.h"

namespace mailsift::store {

/// Events a webhook subscription may ask for (API.md, Webhooks).
inline constexpr const char* kEventJobCompleted = "validation.job.completed";
inline constexpr const char* kEventJobFailed = "validation.job.failed";

/// A webhook subscription. The secret is kept so the dispatcher can sign; the API shows it once.
struct WebhookRecord {
    Id id = 0;
    Id accountId = 0;
    std::string url;
    std::string secret;
    std::vector<std::string> events;  ///< known event names, no duplicates
    bool active = true;
    std::chrono::system_clock::time_point createdAt;
    std::chrono::system_clock::time_point updatedAt;
};

/// What PUT /v1/webhooks/{id} may change; unset fields stay as they are.
struct WebhookUpdate {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    std::optional<bool> active;
};

/// One event for one subscription, as the deliveries route shows it.
struct DeliveryRecord {
    Id id = 0;
    Id subscriptionId = 0;
    std::string event;
    std::optional<Id> jobId;
    std::string state;  ///< pending, delivered, failed (gave up)
    int attempts = 0;
    std::optional<int> lastStatus;  ///< HTTP status of the last answer, none when there was none
    std::string lastError;          ///< why the last attempt failed, "" when it did not
    std::chrono::system_clock::time_point nextAttemptAt;
    std::chrono::system_clock::time_point createdAt;
    std::optional<std::chrono::system_clock::time_point> deliveredAt;
};

/// A delivery claimed by one dispatcher for one attempt. `token` changes with every claim, so a
/// dispatcher whose claim expired (and was taken over) can no longer record its outcome.
struct ClaimedDelivery {
    Id id = 0;
    Id subscriptionId = 0;
    std::string url;
    std::string secret;
    std::string event;
    std::string body;
    int attempts = 0;  ///< attempts so far, this one included
    std::string owner;
    std::int64_t token = 0;
};

/// How one attempt ended.
struct DeliveryAttempt {
    enum class Outcome {
        delivered,  ///< a 2xx answer: done
        retry,      ///< failed; try again at nextAttemptAt
        gaveUp,     ///< failed for the last time (or refused for good): state failed
    };
    Outcome outcome = Outcome::retry;
    std::optional<int> status;                            ///< the HTTP status, when an answer came
    std::string error;                                    ///< "" for delivered
    std::chrono::system_clock::time_point nextAttemptAt;  ///< retry only
};

}  // namespace mailsift::store
