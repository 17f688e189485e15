#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "engine/validator.h"
#include "metrics/registry.h"
#include "store/store.h"

namespace mailsift::scheduler {

/// The job workers of one process (DESIGN section 5). Each worker leases a chunk from the store
/// (fairly across accounts and jobs; expired leases of dead workers are taken over), validates the
/// first occurrences of its addresses and commits the results together with the job counters.
/// One heartbeat thread renews the leases in flight; when a lease is lost (job deleted, failed,
/// or taken over after a stall) the chunk's validation is cancelled and its results dropped.
/// A chunk leased more than jobs.max_attempts times fails its job.
///
/// Processes coordinate only through the store, so any number of schedulers (with distinct node
/// ids) may share one store. start(), notify() and stop() may be called from any thread.
class Scheduler {
  public:
    /// Every reference must outlive the scheduler. `nodeId` must be unique among the processes
    /// sharing the store (see makeNodeId()); worker i leases as "<nodeId>/<i>".
    Scheduler(store::Store& store, const engine::Validator& validator,
              const config::JobsConfig& config, metrics::Registry& metrics, Poco::Logger& logger,
              std::string nodeId);
    /// Stops without grace if still running.
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// Starts jobs.workers worker threads and the heartbeat (nothing with 0 workers). Once only.
    void start();
    /// Wakes idle workers at once (a job was sealed or resumed in this process); otherwise they
    /// look for work every jobs.poll_ms.
    void notify();
    /// Stops leasing, lets the chunks in flight finish for up to `grace` (jobs.shutdown_grace_ms),
    /// then cancels the rest and gives their leases back (cleared, attempt not counted) so the
    /// next worker takes them at once; joins every thread and logs what happened to each chunk.
    void stop(std::chrono::milliseconds grace);

    const std::string& nodeId() const { return nodeId_; }
    /// "<host name>-<pid>-<random hex>": distinct for every process, even on one host.
    static std::string makeNodeId();

  private:
    /// A chunk being worked on. Shared by its worker and the heartbeat thread, which may cancel
    /// it; whichever finishes last frees it.
    struct InFlight {
        explicit InFlight(store::ChunkLease l) : lease(std::move(l)) {}
        store::ChunkLease lease;
        std::atomic<bool> cancel{false};  ///< stop validating (lease lost or shutdown)
        std::atomic<bool> lost{false};    ///< the lease is gone: drop the results
    };

    void workerLoop(int index);
    void heartbeatLoop();
    void handleLease(const store::ChunkLease& lease);
    void runChunk(InFlight& flight);
    void failJob(const store::ChunkLease& lease);
    void release(const store::ChunkLease& lease);

    store::Store& store_;
    const engine::Validator& validator_;
    config::JobsConfig config_;
    Poco::Logger& logger_;
    std::string nodeId_;

    metrics::Counter& committed_;
    metrics::Counter& finished_;
    metrics::Counter& lost_;
    metrics::Counter& released_;
    metrics::Counter& failed_;
    metrics::Counter& rowsValidated_;
    metrics::Histogram& leaseSeconds_;

    std::mutex mutex_;
    std::condition_variable wake_;       ///< workers wait here when idle
    std::condition_variable idle_;       ///< stop() waits here for in-flight chunks
    std::condition_variable heartbeat_;  ///< the heartbeat thread sleeps here
    bool started_ = false;
    bool stopping_ = false;
    bool heartbeatStopping_ = false;
    std::uint64_t generation_ = 0;                 ///< bumped by notify()
    std::atomic<std::size_t> releasedAtStop_{0};   ///< chunks given back because of stop()
    std::atomic<std::size_t> cancelledAtStop_{0};  ///< chunks cancelled because of stop()
    std::vector<std::shared_ptr<InFlight>> inFlight_;
    std::vector<std::thread> workers_;
    std::thread heartbeatThread_;
};

}  // namespace mailsift::scheduler
