#pragma once

#include <Poco/Net/Context.h>

#include <chrono>
#include <optional>
#include <string>

#include "webhooks/target_policy.h"

namespace mailsift::webhooks {

/// One delivery attempt as it goes on the wire.
struct OutgoingWebhook {
    std::string url;
    std::string body;
    std::string signature;  ///< X-Webhook-Signature
    std::string id;         ///< X-Webhook-Id
    std::string timestamp;  ///< X-Webhook-Timestamp (Unix seconds)
};

/// What became of one attempt.
struct SendResult {
    std::optional<int> status;  ///< the answer's status, when one came
    std::string error;          ///< "" when a 2xx came back
    bool refused = false;       ///< the target is not allowed: retrying cannot help
    bool delivered() const { return status && *status >= 200 && *status < 300; }
};

/// POSTs one webhook: resolves the target through the policy, connects to the checked address,
/// verifies HTTPS certificates against the host name (the system's CA store, plus the CAs of
/// `caFile` when it is not empty), follows no redirect, and gives up on any step (connect, send,
/// answer) that takes longer than the timeout. Thread-safe: every send uses its own connection.
/// The constructor throws std::runtime_error (a sentence naming webhooks.ca_file) when `caFile`
/// cannot be read or holds no certificate.
class WebhookSender {
  public:
    WebhookSender(TargetPolicy policy, std::chrono::milliseconds timeout,
                  const std::string& caFile = "");
    ~WebhookSender();
    WebhookSender(const WebhookSender&) = delete;
    WebhookSender& operator=(const WebhookSender&) = delete;

    SendResult send(const OutgoingWebhook& webhook) const;

  private:
    TargetPolicy policy_;
    std::chrono::milliseconds timeout_;
    Poco::Net::Context::Ptr tls_;
};

}  // namespace mailsift::webhooks
