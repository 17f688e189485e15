#include "webhooks/dispatcher.h"

#include <chrono>

#include "webhooks/signing.h"

namespace mailsift::webhooks {

namespace {

constexpr const char* kDeliveriesName = "mailsift_webhook_deliveries_total";
constexpr const char* kDeliveriesHelp =
    "Webhook delivery attempts by outcome: delivered (2xx), failed (will be retried), gave_up "
    "(attempt limit reached), refused (target not allowed)";

/// A claim outlives the longest send (connect, write and read may each take the timeout) by a
/// margin, so a live dispatcher never loses its claim to another one.
std::chrono::milliseconds claimTtl(const config::WebhooksConfig& config) {
    return std::chrono::milliseconds(3LL * config.timeoutMs + 30'000);
}

}  // namespace

RetrySchedule Dispatcher::scheduleFrom(const config::WebhooksConfig& config) {
    RetrySchedule s;
    s.initial = std::chrono::milliseconds(config.retryInitialMs);
    s.multiplier = config.retryMultiplier;
    s.max = std::chrono::milliseconds(config.retryMaxMs);
    s.jitterPercent = config.retryJitterPercent;
    s.maxAttempts = config.maxAttempts;
    return s;
}

Dispatcher::Dispatcher(store::Store& store, const config::WebhooksConfig& config,
                       metrics::Registry& metrics, Poco::Logger& log, std::string nodeId)
    : store_(store),
      config_(config),
      schedule_(scheduleFrom(config)),
      sender_(TargetPolicy(config.allowPrivateTargets), std::chrono::milliseconds(config.timeoutMs),
              config.caFile),
      metrics_(metrics),
      log_(log),
      nodeId_(std::move(nodeId)) {
    for (const char* outcome : {"delivered", "failed", "gave_up", "refused"}) {
        metrics_.counter(kDeliveriesName, kDeliveriesHelp, {{"outcome", outcome}});
    }
}

Dispatcher::~Dispatcher() {
    stop();
}

void Dispatcher::start() {
    std::lock_guard lock(mutex_);
    if (!threads_.empty() || stopping_) {
        return;
    }
    for (int i = 0; i < config_.concurrency; ++i) {
        threads_.emplace_back([this, i] { run(i); });
    }
}

void Dispatcher::notify() {
    {
        std::lock_guard lock(mutex_);
        ++notifications_;
    }
    wake_.notify_all();
}

void Dispatcher::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    threads_.clear();
}

void Dispatcher::run(int index) {
    const std::string owner = nodeId_ + "/webhooks-" + std::to_string(index);
    const auto poll = std::chrono::milliseconds(config_.pollMs);
    while (true) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            seen = notifications_;
        }
        std::vector<store::ClaimedDelivery> claimed;
        try {
            claimed = store_.claimDeliveries(owner, std::chrono::system_clock::now(),
                                             claimTtl(config_), 1);
        } catch (const std::exception& e) {
            log_.warning("webhooks: cannot claim deliveries now: %s", std::string(e.what()));
        }
        for (const auto& claim : claimed) {
            deliver(claim);
        }
        if (!claimed.empty()) {
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, poll, [&] { return stopping_ || notifications_ != seen; });
    }
}

void Dispatcher::deliver(const store::ClaimedDelivery& claim) {
    OutgoingWebhook webhook;
    webhook.url = claim.url;
    webhook.body = claim.body;
    webhook.signature = signBody(claim.secret, claim.body);
    webhook.id = "whd_" + std::to_string(claim.id);
    webhook.timestamp = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
    const SendResult sent = sender_.send(webhook);

    store::DeliveryAttempt attempt;
    attempt.status = sent.status;
    attempt.error = sent.error;
    const char* outcome = "delivered";
    if (sent.delivered()) {
        attempt.outcome = store::DeliveryAttempt::Outcome::delivered;
    } else if (sent.refused) {
        attempt.outcome = store::DeliveryAttempt::Outcome::gaveUp;
        outcome = "refused";
    } else if (schedule_.exhausted(claim.attempts)) {
        attempt.outcome = store::DeliveryAttempt::Outcome::gaveUp;
        attempt.error =
            "gave up after " + std::to_string(claim.attempts) + " attempt(s); last: " + sent.error;
        outcome = "gave_up";
    } else {
        attempt.outcome = store::DeliveryAttempt::Outcome::retry;
        attempt.nextAttemptAt =
            std::chrono::system_clock::now() + schedule_.delayAfter(claim.attempts);
        outcome = "failed";
    }
    record(claim, attempt, outcome);
}

void Dispatcher::record(const store::ClaimedDelivery& claim, const store::DeliveryAttempt& attempt,
                        const char* outcome) {
    metrics_.counter(kDeliveriesName, kDeliveriesHelp, {{"outcome", outcome}}).inc();
    if (attempt.outcome != store::DeliveryAttempt::Outcome::delivered) {
        log_.warning("webhooks: delivery %?d (%s) to subscription %?d, attempt %d: %s (%s)",
                     claim.id, claim.event, claim.subscriptionId, claim.attempts, attempt.error,
                     std::string(outcome));
    }
    try {
        if (!store_.recordDeliveryAttempt(claim, attempt, std::chrono::system_clock::now())) {
            log_.warning(
                "webhooks: delivery %?d: the claim expired before its outcome was "
                "recorded; it will be tried again",
                claim.id);
        }
    } catch (const std::exception& e) {
        log_.error(
            "webhooks: cannot record the outcome of delivery %?d: %s (its claim expires "
            "and it is tried again)",
            claim.id, std::string(e.what()));
    }
}

}  // namespace mailsift::webhooks
