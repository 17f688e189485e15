#include "scheduler/import_worker.h"

#include <chrono>
#include <unordered_set>

#include "engine/validator.h"
#include "jobs/dedupe_index.h"
#include "mailsift/connector.h"

namespace mailsift::scheduler {
namespace {

using std::chrono::milliseconds;
using SystemClock = std::chrono::system_clock;
using SteadyClock = std::chrono::steady_clock;

/// Receives one import's rows: numbers them from the task's next position, marks repeated
/// addresses, and commits each page with the provider's cursor. Renews the lease while the
/// connector works (also during its back-off waits, which poll stopRequested()).
class ImportSink final : public RowSink {
  public:
    ImportSink(store::Store& store, store::IntegrationTask& task, jobs::DedupeIndex& index,
               std::int64_t maxRows, milliseconds ttl, milliseconds heartbeat,
               const std::atomic<bool>& stopping)
        : store_(store),
          task_(task),
          index_(index),
          maxRows_(maxRows),
          ttl_(ttl),
          heartbeat_(heartbeat),
          stopping_(stopping),
          lastRenew_(SteadyClock::now()) {}

    void row(std::string_view emailCell) override {
        const std::int64_t pos = task_.nextPos + static_cast<std::int64_t>(page_.size());
        if (pos >= maxRows_) {
            tooMany_ = true;
            return;
        }
        store::JobRow row;
        row.pos = pos;
        row.email.assign(emailCell);
        row.dupOf = index_.firstOf(emailCell, pos);
        page_.push_back(std::move(row));
    }

    bool stopRequested() const override {
        if (lost_ || tooMany_ || stopping_)
            return true;
        if (SteadyClock::now() - lastRenew_ >= heartbeat_) {
            lastRenew_ = SteadyClock::now();
            try {
                lost_ = !store_.renewIntegrationTask(task_, SystemClock::now(), ttl_);
            } catch (const std::exception&) {
                // The store is failing; the next page commit will tell.
            }
        }
        return lost_;
    }

    void pageDone(std::string_view nextCursor) override {
        if (lost_ || tooMany_)
            return;
        if (!store_.appendImportPage(task_, page_, std::string(nextCursor)))
            lost_ = true;
        lastRenew_ = SteadyClock::now();  // the commit proved the lease
        page_.clear();
        ++pages_;
    }

    bool lost() const { return lost_; }
    bool tooMany() const { return tooMany_; }
    bool uncommitted() const { return !page_.empty(); }
    int pages() const { return pages_; }

  private:
    store::Store& store_;
    store::IntegrationTask& task_;
    jobs::DedupeIndex& index_;
    std::int64_t maxRows_;
    milliseconds ttl_;
    milliseconds heartbeat_;
    const std::atomic<bool>& stopping_;
    mutable SteadyClock::time_point lastRenew_;
    mutable bool lost_ = false;
    bool tooMany_ = false;
    int pages_ = 0;
    std::vector<store::JobRow> page_;
};

/// The results of a done job, first occurrences only, read page by page in input order.
class StoredResults final : public ResultSource {
  public:
    StoredResults(store::Store& store, const store::IntegrationTask& task)
        : store_(store), task_(task) {}

    bool next(WriteBackRow& out) override {
        while (true) {
            if (index_ == page_.size()) {
                page_ = store_.readResults(task_.accountId, task_.jobId, pos_,
                                           jobs::JobService::kResultPage);
                index_ = 0;
                if (page_.empty())
                    return false;
                pos_ = page_.back().pos + 1;
            }
            const store::ResultRow& row = page_[index_++];
            if (!row.result || row.email.empty())
                continue;
            if (!seen_.insert(engine::Validator::dedupeKey(row.email)).second)
                continue;
            out.email = row.email;
            out.classifier = row.result->classifier;
            out.score = row.result->score;
            return true;
        }
    }

  private:
    store::Store& store_;
    const store::IntegrationTask& task_;
    std::vector<store::ResultRow> page_;
    std::size_t index_ = 0;
    std::int64_t pos_ = 0;
    std::unordered_set<std::string> seen_;
};

}  // namespace

ImportWorker::ImportWorker(store::Store& store, integrations::IntegrationService& integrations,
                           jobs::ConnectorLookup connectors, const config::JobsConfig& jobs,
                           std::int64_t maxRowsPerJob, Poco::Logger& logger, std::string owner,
                           std::function<void()> sealed)
    : store_(store),
      integrations_(integrations),
      connectors_(std::move(connectors)),
      jobs_(jobs),
      maxRowsPerJob_(maxRowsPerJob),
      logger_(logger),
      owner_(std::move(owner)),
      sealed_(std::move(sealed)) {}

ImportWorker::~ImportWorker() {
    stop();
}

void ImportWorker::start() {
    std::lock_guard lock(mutex_);
    if (started_ || jobs_.workers <= 0)
        return;
    started_ = true;
    thread_ = std::thread([this] { loop(); });
}

void ImportWorker::notify() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    wake_.notify_all();
}

void ImportWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void ImportWorker::loop() {
    const milliseconds ttl(jobs_.leaseTtlMs);
    while (true) {
        std::uint64_t seen = 0;
        {
            std::lock_guard lock(mutex_);
            if (stopping_)
                return;
            seen = generation_;
        }
        std::optional<store::IntegrationTask> task;
        try {
            task = store_.leaseIntegrationTask(owner_, SystemClock::now(), ttl);
        } catch (const std::exception& e) {
            logger_.error("integrations: leasing a task failed: %s", std::string(e.what()));
        }
        if (task) {
            try {
                if (task->attempts > jobs_.maxAttempts) {
                    fail(*task, "The import was tried " + std::to_string(jobs_.maxAttempts) +
                                    " times and did not finish; create the job again, and if it "
                                    "fails again, ask the server's operator to check the logs.");
                } else if (task->state == "importing") {
                    runImport(*task);
                } else {
                    runWriteBack(*task);
                }
            } catch (const std::exception& e) {
                // The lease expires and the task is tried again (attempts are counted).
                logger_.error("integrations: job %?d: %s; it will be retried", task->jobId,
                              std::string(e.what()));
            }
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, milliseconds(jobs_.pollMs),
                       [&] { return stopping_ || generation_ != seen; });
    }
}

void ImportWorker::fail(const store::IntegrationTask& task, const std::string& sentence) {
    logger_.warning("integrations: job %?d failed: %s", task.jobId, sentence);
    if (task.state == "importing")
        store_.failJob(task.jobId, sentence, SystemClock::now());
    store_.finishIntegrationTask(task, sentence);
}

void ImportWorker::runImport(store::IntegrationTask& task) {
    integrations::OpenedIntegration opened;
    try {
        opened = integrations_.open(task.accountId, task.integrationId);
    } catch (const integrations::IntegrationError& e) {
        fail(task, std::string("The integration could not be used: ") + e.what());
        return;
    }
    Connector* connector = connectors_ ? connectors_(std::string(opened.spec->plugin)) : nullptr;
    if (!connector) {
        fail(task, "The " + opened.record.system + " connector is not enabled on this server.");
        return;
    }
    // Rows of earlier runs (before a restart) take part in de-duplication.
    jobs::DedupeIndex index;
    for (std::int64_t pos = 0; pos < task.nextPos;) {
        const auto rows =
            store_.readResults(task.accountId, task.jobId, pos, jobs::JobService::kResultPage);
        if (rows.empty())
            break;
        for (const auto& row : rows)
            index.firstOf(row.email, row.pos);
        pos = rows.back().pos + 1;
    }
    ConnectorInput input;
    input.integrationId = task.integrationId;
    input.credentialsJson = opened.credentialsJson;
    input.optionsJson = opened.record.optionsJson;
    input.cursor = task.cursor;
    ImportSink sink(store_, task, index, maxRowsPerJob_, milliseconds(jobs_.leaseTtlMs),
                    milliseconds(jobs_.heartbeatMs), stopping_);
    logger_.information("integrations: job %?d imports from %s (integration %?d) from row %?d",
                        task.jobId, opened.record.system, task.integrationId, task.nextPos);
    try {
        connector->read(input, sink);
    } catch (const ConnectorError& e) {
        if (!sink.lost())
            fail(task, e.what());
        return;
    }
    if (sink.lost() || stopping_)
        return;  // another worker holds it now, or we stop: the next lease resumes the cursor
    if (sink.tooMany()) {
        fail(task, "The list has more than " + std::to_string(maxRowsPerJob_) +
                       " contacts, the most one job may have; import a smaller list.");
        return;
    }
    if (sink.uncommitted())
        sink.pageDone("");  // a connector that did not mark its last page
    if (sink.lost())
        return;
    if (store_.finishImport(task, jobs_.chunkSize, SystemClock::now())) {
        logger_.information("integrations: job %?d imported %?d rows", task.jobId, task.nextPos);
        if (sealed_)
            sealed_();
    }
}

void ImportWorker::runWriteBack(store::IntegrationTask& task) {
    integrations::OpenedIntegration opened;
    try {
        opened = integrations_.open(task.accountId, task.integrationId);
    } catch (const integrations::IntegrationError& e) {
        fail(task, std::string("Results were not written back: ") + e.what());
        return;
    }
    Connector* connector = connectors_ ? connectors_(std::string(opened.spec->plugin)) : nullptr;
    if (!connector) {
        fail(task, "Results were not written back: the " + opened.record.system +
                       " connector is not enabled on this server.");
        return;
    }
    ConnectorInput input;
    input.integrationId = task.integrationId;
    input.credentialsJson = opened.credentialsJson;
    input.optionsJson = opened.record.optionsJson;
    StoredResults results(store_, task);
    try {
        connector->writeBack(input, results);
    } catch (const ConnectorError& e) {
        fail(task, std::string("Results were not written back: ") + e.what());
        return;
    }
    store_.finishIntegrationTask(task, "");
    logger_.information("integrations: job %?d: results written back to %s", task.jobId,
                        opened.record.system);
}

}  // namespace mailsift::scheduler
