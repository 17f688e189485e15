#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "integrations/integration_service.h"
#include "jobs/create_job_request.h"
#include "jobs/job_error.h"
#include "mailsift/connector.h"
#include "store/store.h"

namespace mailsift::jobs {

/// Finds the connector plugin with a given name (e.g. mailsift.connector.file); nullptr when the
/// server does not load it. Must be thread-safe.
using ConnectorLookup = std::function<Connector*(std::string_view pluginName)>;

/// How jobs are created (from the `jobs:` and `limits:` config blocks).
struct JobServiceOptions {
    std::int64_t chunkSize = 1000;        ///< rows per chunk a worker leases
    std::size_t ingestBatchRows = 10000;  ///< rows per store transaction while ingesting
    std::size_t ingestWriters = 2;        ///< batches of one ingestion written at once
    std::int64_t maxRowsPerJob = 5000000;
};

/// The validation-job use cases behind the /v1/email/validate/job routes: create (ingestion),
/// list, get, results, download, pause, resume, remove. Every call is scoped to the caller's
/// account: another account's job is indistinguishable from a missing one. Errors meant for the
/// client are JobError; StoreError passes through. Thread-safe: it holds no mutable state; each
/// create() owns its own ingestion.
class JobService {
  public:
    /// A service without connectors (create() answers that the source is not enabled).
    explicit JobService(store::Store& store) : JobService(store, {}, {}, {}) {}
    /// `connectors` finds source plugins; `workAvailable` is called after a job was sealed or
    /// resumed, so idle workers of this process start at once (may be empty).
    JobService(store::Store& store, ConnectorLookup connectors, JobServiceOptions options,
               std::function<void()> workAvailable);

    /// Lets create() make jobs from integrations (source hubspot, mailjet or mailchimp with
    /// `integration=<id>`); `integrations` must outlive the service. Without it such sources
    /// answer that integrations are off. Call before the server starts.
    void setIntegrations(integrations::IntegrationService* integrations) {
        integrations_ = integrations;
    }

    /// The connector plugin that reads `source`; JobError 400 "Invalid source type" otherwise.
    static std::string connectorFor(std::string_view source);
    /// True when `source` reads an uploaded file (file, excel).
    static bool takesFile(std::string_view source);

    /// Creates a job from `request`: checks it, stores every row (repeated addresses marked so
    /// they are verified once), seals the job for the workers and returns its id once all rows are
    /// stored. On any failure nothing of the job remains. Throws JobError for a bad request, a
    /// file the connector cannot read, or a limit; rethrows what request.verifyFile() throws.
    store::Id create(store::Id accountId, const CreateJobRequest& request);

    /// The account's jobs, newest first.
    std::vector<store::JobRecord> list(store::Id accountId);
    /// nullopt when the job does not exist or is not the account's.
    std::optional<store::JobRecord> get(store::Id accountId, store::Id jobId);

    /// Most rows one results() call answers.
    static constexpr int kResultPage = 1000;
    /// Up to kResultPage rows from position `fromPos` in input order, finished or not (unfinished
    /// rows have no result); empty past the end. JobError 404 for an unknown job, 400 for a
    /// negative position.
    std::vector<store::ResultRow> results(store::Id accountId, store::Id jobId,
                                          std::int64_t fromPos);

    /// Checks download filters (classifier names); JobError 400 naming an unknown one.
    static void checkFilters(const std::vector<std::string>& filters);
    /// Calls `each` for every finished row whose classifier is among `filters` (all when empty),
    /// in input order, reading page by page; `each` returns false to stop. JobError 404 for an
    /// unknown job (checked before the first call of `each`).
    void download(store::Id accountId, store::Id jobId, const std::vector<std::string>& filters,
                  const std::function<bool(const store::ResultRow&)>& each);

    /// Deletes the job and its rows in any state; in-flight chunks are dropped. JobError 404.
    void remove(store::Id accountId, store::Id jobId);
    /// Sets the label of a job created already (forms may send `label` after the file).
    void relabel(store::Id accountId, store::Id jobId, const std::string& label);
    /// Stops new leases of the job (a done or failed job stays as it is). JobError 404.
    store::JobRecord pause(store::Id accountId, store::Id jobId);
    /// Lets workers lease the job's chunks again. JobError 404.
    store::JobRecord resume(store::Id accountId, store::Id jobId);

  private:
    store::Id createFromIntegration(store::Id accountId, const CreateJobRequest& request,
                                    const integrations::SystemSpec& spec);
    void ingest(const store::JobRecord& job, Connector& connector, const ConnectorInput& input,
                const CreateJobRequest& request);
    void workAvailable() const;

    store::Store& store_;
    ConnectorLookup connectors_;
    JobServiceOptions options_;
    std::function<void()> workAvailable_;
    integrations::IntegrationService* integrations_ = nullptr;
};

}  // namespace mailsift::jobs
