#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "mailsift/batch.h"
#include "mailsift/host_api.h"
#include "probe/catch_all_cache.h"
#include "probe/host_limiter.h"
#include "probe/probe_attempt.h"
#include "probe/probe_task.h"
#include "probe/smtp_config.h"

struct ssl_ctx_st;

namespace mailsift::stages::smtp {

/// What every run of the stage shares (owned by the stage, alive for all runs).
struct ProbeShared {
    const SmtpConfig& config;
    HostLimiter& limiter;
    CatchAllCache& catchAll;
    ssl_ctx_st* tlsContext;  ///< null: STARTTLS off
    HostApi& host;
};

/// The smtp stage's work on one batch: groups the items by MX candidates, splits each group into
/// sessions, runs them on worker threads within the host caps, retries greylisting and back-off
/// within the deadline, and finally records one outcome Fact per probed item. One object per
/// run() call; run() blocks until every session has ended.
class ProbeRun {
  public:
    ProbeRun(const ProbeShared& shared, Batch& batch);
    void run();

  private:
    struct Outcome {
        bool set = false;
        Fact fact = Fact::smtpTimeout;
        std::string reply;
        std::string host;
    };

    void plan();
    void planGroup(std::size_t group, std::vector<Recipient> recipients);
    void worker();
    /// Takes a ready task whose candidate has a free slot (the slot is then ours).
    bool pick(ProbeTask& task, Candidate& candidate, Clock::time_point& wakeAt);
    void merge(ProbeTask task, const Candidate& candidate, Attempt attempt);
    void retryOrSettle(ProbeTask task);
    void scheduleGreylist(const ProbeTask& task, std::vector<Recipient> recipients);
    void requeue(const ProbeTask& task, std::vector<Recipient> recipients, bool busy);
    void settle(Recipient recipient, Fact fact);
    void settleTask(ProbeTask& task, Fact fact);
    void finish();

    const ProbeShared& shared_;
    Batch& batch_;
    std::vector<std::vector<Candidate>> groups_;
    std::vector<Outcome> outcomes_;          ///< per batch item
    std::vector<std::size_t> planned_;       ///< items this run answers for
    std::vector<std::size_t> plannedGroup_;  ///< their group, same order
    std::map<std::string, bool> catchAll_;   ///< per domain, from the cache or our probe

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<ProbeTask> tasks_;
    int active_ = 0;
};

}  // namespace mailsift::stages::smtp
