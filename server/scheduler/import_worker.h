#pragma once

#include <Poco/Logger.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "config/config.h"
#include "integrations/integration_service.h"
#include "jobs/job_service.h"
#include "store/store.h"

namespace mailsift::scheduler {

/// The background side of integration jobs (DESIGN section 9): one thread that leases
/// integration tasks from the store (like chunks: owner, expiry, token, attempts) and runs them.
/// An import reads the provider page by page through the connector plugin; each page's rows and
/// the provider's cursor are committed together, so after a restart the import resumes at the
/// last committed page and no contact is stored twice. When the last page is in, the job is
/// sealed and the chunk workers take over. A write-back task runs once its job is done and hands
/// the results to the connector. Errors the provider gives (bad credentials, missing list) fail
/// the job with the connector's sentence. Processes coordinate only through the store.
class ImportWorker {
  public:
    /// Every reference must outlive the worker. `sealed` is called after an import sealed its
    /// job (wake the chunk workers).
    ImportWorker(store::Store& store, integrations::IntegrationService& integrations,
                 jobs::ConnectorLookup connectors, const config::JobsConfig& jobs,
                 std::int64_t maxRowsPerJob, Poco::Logger& logger, std::string owner,
                 std::function<void()> sealed);
    ~ImportWorker();
    ImportWorker(const ImportWorker&) = delete;
    ImportWorker& operator=(const ImportWorker&) = delete;

    void start();
    /// Wakes the worker at once (an integration job was created or finished).
    void notify();
    /// Stops at the next page boundary; the lease then expires and the task resumes elsewhere.
    void stop();

  private:
    void loop();
    void runImport(store::IntegrationTask& task);
    void runWriteBack(store::IntegrationTask& task);
    void fail(const store::IntegrationTask& task, const std::string& sentence);

    store::Store& store_;
    integrations::IntegrationService& integrations_;
    jobs::ConnectorLookup connectors_;
    config::JobsConfig jobs_;
    std::int64_t maxRowsPerJob_;
    Poco::Logger& logger_;
    std::string owner_;
    std::function<void()> sealed_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool started_ = false;
    std::atomic<bool> stopping_{false};
    std::uint64_t generation_ = 0;
    std::thread thread_;
};

}  // namespace mailsift::scheduler
