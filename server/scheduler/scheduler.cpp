#include "scheduler/scheduler.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <random>

#include "jobs/result_codec.h"

namespace mailsift::scheduler {
namespace {

using std::chrono::milliseconds;
using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

constexpr std::string_view kChunksName = "mailsift_scheduler_chunks_total";
constexpr std::string_view kChunksHelp =
    "Chunks handled by this process's workers, by outcome (committed, finished: the job's last, "
    "lost: lease gone, results dropped, released: given back at shutdown, failed: too many "
    "attempts).";

metrics::Counter& chunkCounter(metrics::Registry& metrics, const std::string& outcome) {
    return metrics.counter(kChunksName, kChunksHelp, {{"outcome", outcome}});
}

}  // namespace

Scheduler::Scheduler(store::Store& store, const engine::Validator& validator,
                     const config::JobsConfig& config, metrics::Registry& metrics,
                     Poco::Logger& logger, std::string nodeId)
    : store_(store),
      validator_(validator),
      config_(config),
      logger_(logger),
      nodeId_(std::move(nodeId)),
      committed_(chunkCounter(metrics, "committed")),
      finished_(chunkCounter(metrics, "finished")),
      lost_(chunkCounter(metrics, "lost")),
      released_(chunkCounter(metrics, "released")),
      failed_(chunkCounter(metrics, "failed")),
      rowsValidated_(metrics.counter("mailsift_scheduler_rows_validated_total",
                                     "Job rows validated by this process's workers (first "
                                     "occurrences; repeated addresses get a copy).")),
      leaseSeconds_(metrics.histogram("mailsift_scheduler_lease_seconds",
                                      "Time one leaseChunk call takes, in seconds.",
                                      metrics::defaultLatencyBuckets())) {}

Scheduler::~Scheduler() {
    stop(milliseconds(0));
}

std::string Scheduler::makeNodeId() {
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) != 0)
        host = {'n', 'o', 'd', 'e'};
    std::random_device random;
    std::array<char, 9> suffix{};
    std::snprintf(suffix.data(), suffix.size(), "%08x", static_cast<unsigned>(random()));
    return std::string(host.data()) + "-" + std::to_string(getpid()) + "-" + suffix.data();
}

void Scheduler::start() {
    std::lock_guard lock(mutex_);
    if (started_)
        return;
    started_ = true;
    if (config_.workers <= 0)
        return;
    heartbeatThread_ = std::thread([this] { heartbeatLoop(); });
    for (int i = 0; i < static_cast<int>(config_.workers); ++i)
        workers_.emplace_back([this, i] { workerLoop(i); });
    logger_.information("scheduler: %d worker(s) as %s, chunks of %d rows",
                        static_cast<int>(config_.workers), nodeId_,
                        static_cast<int>(config_.chunkSize));
}

void Scheduler::notify() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    wake_.notify_all();
}

void Scheduler::stop(milliseconds grace) {
    std::size_t inFlightAtStop = 0;
    std::size_t cancelled = 0;
    {
        std::unique_lock lock(mutex_);
        if (!started_ || stopping_)
            return;
        stopping_ = true;
        inFlightAtStop = inFlight_.size();
        wake_.notify_all();
        idle_.wait_for(lock, grace, [this] { return inFlight_.empty(); });
        for (const auto& flight : inFlight_)
            flight->cancel = true;
    }
    for (auto& worker : workers_)
        worker.join();
    workers_.clear();
    // Counted by the chunks themselves: one that finished its checks just before the flag was set
    // commits its results and is not cancelled.
    cancelled = cancelledAtStop_.load();
    {
        std::lock_guard lock(mutex_);
        heartbeatStopping_ = true;
    }
    heartbeat_.notify_all();
    if (heartbeatThread_.joinable())
        heartbeatThread_.join();
    if (config_.workers > 0) {
        logger_.information(
            "scheduler: stopped leasing; of %?d chunk(s) in flight, %?d finished within the grace "
            "of %?d ms and %?d were cancelled, %?d given back to the store for the next worker",
            inFlightAtStop, inFlightAtStop - cancelled, grace.count(), cancelled,
            releasedAtStop_.load());
    }
}

void Scheduler::workerLoop(int index) {
    const std::string owner = nodeId_ + "/" + std::to_string(index);
    const milliseconds ttl(config_.leaseTtlMs);
    while (true) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
            seen = generation_;
        }
        std::optional<store::ChunkLease> lease;
        try {
            const auto started = SteadyClock::now();
            lease = store_.leaseChunk(owner, SystemClock::now(), ttl);
            leaseSeconds_.observe(
                std::chrono::duration<double>(SteadyClock::now() - started).count());
        } catch (const std::exception& e) {
            logger_.error("scheduler: leasing a chunk failed: %s", std::string(e.what()));
        }
        if (lease) {
            handleLease(*lease);
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, milliseconds(config_.pollMs),
                       [&] { return stopping_ || generation_ != seen; });
    }
}

void Scheduler::handleLease(const store::ChunkLease& lease) {
    if (lease.attempts > static_cast<int>(config_.maxAttempts)) {
        failJob(lease);
        return;
    }
    auto flight = std::make_shared<InFlight>(lease);
    bool stopping = false;
    {
        std::lock_guard lock(mutex_);
        stopping = stopping_;
        if (!stopping)
            inFlight_.push_back(flight);
    }
    if (stopping) {
        release(lease);
        ++releasedAtStop_;
        return;
    }
    try {
        runChunk(*flight);
    } catch (const std::exception& e) {
        logger_.error("scheduler: chunk %?d of job %?d failed: %s; it will be retried",
                      lease.chunkNo, lease.jobId, std::string(e.what()));
        release(lease);
    }
    std::lock_guard lock(mutex_);
    inFlight_.erase(std::find(inFlight_.begin(), inFlight_.end(), flight));
    if (inFlight_.empty())
        idle_.notify_all();
}

void Scheduler::runChunk(InFlight& flight) {
    const store::ChunkLease& lease = flight.lease;
    std::vector<store::JobRow> rows = store_.leasedRows(lease);
    std::vector<std::string> inputs;
    std::vector<std::int64_t> positions;
    inputs.reserve(rows.size());
    positions.reserve(rows.size());
    for (store::JobRow& row : rows) {
        if (row.dupOf >= 0)
            continue;  // the store copies the first occurrence's result when the job finishes
        inputs.push_back(std::move(row.email));
        positions.push_back(row.pos);
    }
    engine::Validator::Outcome outcome;
    if (!inputs.empty()) {
        outcome = validator_.validate(inputs, lease.accountId,
                                      SteadyClock::now() + milliseconds(config_.chunkTimeoutMs),
                                      &flight.cancel);
    }
    if (flight.cancel) {
        ++cancelledAtStop_;
        if (flight.lost) {
            lost_.inc();  // deleted, failed or taken over: these results must not be written
        } else {
            release(lease);  // shutdown: unfinished checks would read as unverified
            ++releasedAtStop_;
        }
        return;
    }
    std::vector<store::RowResult> results;
    results.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        results.push_back(jobs::result_codec::toRow(positions[i], outcome.results[i]));
    switch (store_.commitChunk(lease, results, SystemClock::now())) {
        case store::CommitOutcome::committed:
            committed_.inc();
            rowsValidated_.inc(static_cast<double>(results.size()));
            break;
        case store::CommitOutcome::jobFinished:
            committed_.inc();
            finished_.inc();
            rowsValidated_.inc(static_cast<double>(results.size()));
            logger_.information("scheduler: job %?d is done", lease.jobId);
            break;
        case store::CommitOutcome::leaseLost:
            lost_.inc();
            break;
    }
}

void Scheduler::failJob(const store::ChunkLease& lease) {
    const std::string sentence =
        "Rows " + std::to_string(lease.firstPos + 1) + " to " + std::to_string(lease.lastPos + 1) +
        " could not be verified in " + std::to_string(config_.maxAttempts) +
        " attempts (the workers holding them stopped or ran out of time). Create the job again; "
        "if it fails again, ask the server's operator to check the logs.";
    try {
        store_.failJob(lease.jobId, sentence, SystemClock::now());
        failed_.inc();
        logger_.warning("scheduler: job %?d failed: chunk %?d was leased %d times", lease.jobId,
                        lease.chunkNo, lease.attempts);
    } catch (const std::exception& e) {
        logger_.error("scheduler: could not mark job %?d failed: %s", lease.jobId,
                      std::string(e.what()));
    }
}

void Scheduler::release(const store::ChunkLease& lease) {
    try {
        store_.releaseLease(lease);
        released_.inc();
    } catch (const std::exception& e) {
        // The lease expires on its own; another worker takes the chunk over then.
        logger_.warning("scheduler: could not give back chunk %?d of job %?d: %s", lease.chunkNo,
                        lease.jobId, std::string(e.what()));
    }
}

void Scheduler::heartbeatLoop() {
    const milliseconds ttl(config_.leaseTtlMs);
    std::unique_lock lock(mutex_);
    while (!heartbeatStopping_) {
        heartbeat_.wait_for(lock, milliseconds(config_.heartbeatMs),
                            [this] { return heartbeatStopping_; });
        if (heartbeatStopping_)
            return;
        const std::vector<std::shared_ptr<InFlight>> flights = inFlight_;
        lock.unlock();
        for (const auto& flight : flights) {
            if (flight->lost)
                continue;
            try {
                if (!store_.renewLease(flight->lease, SystemClock::now(), ttl)) {
                    flight->lost = true;
                    flight->cancel = true;
                }
            } catch (const std::exception& e) {
                logger_.warning("scheduler: renewing the lease of chunk %?d of job %?d failed: %s",
                                flight->lease.chunkNo, flight->lease.jobId, std::string(e.what()));
            }
        }
        lock.lock();
    }
}

}  // namespace mailsift::scheduler
