#pragma once

// Shared by the webhook integration tests: server configs with fast retries, a job created
// through the API, and reading deliveries, metrics and signatures.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <functional>
#include <string>

#include "integration/server_fixture.h"

namespace mailsift::testing {

/// Top-level YAML for a test server: the syntax stage and input connector, fast job polling,
/// and webhooks with the given timeout and retries in milliseconds. `allowPrivate` is true in
/// every test but the refusal's (the receiver is on 127.0.0.1).
std::string webhookServerYaml(bool allowPrivate, int timeoutMs = 1000, int maxAttempts = 5,
                              int retryInitialMs = 300);

/// POST /v1/email/validate/job with source=input; returns the job id (ADD_FAILURE on errors).
std::int64_t createInputJob(const HttpClient& client, const std::string& key,
                            const std::string& emails);

/// POST /v1/webhooks; returns the created subscription (with its secret).
Poco::JSON::Object::Ptr createWebhook(
    const HttpClient& client, const std::string& key, const std::string& url,
    const std::string& events = R"(["validation.job.completed"])");

/// GET /v1/webhooks/{id}/deliveries.
Poco::JSON::Array::Ptr deliveries(const HttpClient& client, const std::string& key,
                                  std::int64_t webhookId);

/// The value of `series` (e.g. mailsift_webhook_deliveries_total{outcome="delivered"}) in
/// /metrics, 0 when absent.
double metricValue(const HttpClient& client, const std::string& series);

/// Hex HMAC-SHA256, computed independently of the server's code.
std::string hmacSha256Hex(const std::string& key, const std::string& data);

/// Polls `done` every 20 ms until it is true or `timeout` passes.
bool waitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);

Poco::JSON::Object::Ptr parseObject(const std::string& text);

}  // namespace mailsift::testing
