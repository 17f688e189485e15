#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "metrics/registry.h"
#include "store/store.h"
#include "webhooks/retry_schedule.h"
#include "webhooks/webhook_sender.h"

namespace mailsift::webhooks {

/// Delivers the webhook outbox: `concurrency` threads each claim one due delivery at a time
/// through the store (so any number of servers share the work and never send one attempt
/// twice), POST it signed, and record the outcome: 2xx delivered; anything else, or no answer in
/// time, retried on the back-off schedule until the attempt limit, then given up with the
/// reason; a target refused by policy is given up at once. A dispatcher that dies mid-send loses
/// nothing: its claim expires and the delivery is due again (consumers de-duplicate on
/// X-Webhook-Id). Counts attempts in mailsift_webhook_deliveries_total{outcome}.
class Dispatcher {
  public:
    Dispatcher(store::Store& store, const config::WebhooksConfig& config,
               metrics::Registry& metrics, Poco::Logger& log, std::string nodeId);
    ~Dispatcher();
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    /// Starts the delivery threads (none when concurrency is 0). Call once.
    void start();
    /// Wakes idle threads now (e.g. a job just finished). Any thread.
    void notify();
    /// Stops claiming, lets sends in flight finish (each is bounded by the timeout), joins.
    void stop();

    /// The schedule the config describes.
    static RetrySchedule scheduleFrom(const config::WebhooksConfig& config);

  private:
    void run(int index);
    /// Sends one claimed delivery and records the outcome; false when the store failed.
    void deliver(const store::ClaimedDelivery& claim);
    void record(const store::ClaimedDelivery& claim, const store::DeliveryAttempt& attempt,
                const char* outcome);

    store::Store& store_;
    config::WebhooksConfig config_;
    RetrySchedule schedule_;
    WebhookSender sender_;
    metrics::Registry& metrics_;
    Poco::Logger& log_;
    std::string nodeId_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::uint64_t notifications_ = 0;
    std::vector<std::thread> threads_;
};

}  // namespace mailsift::webhooks
