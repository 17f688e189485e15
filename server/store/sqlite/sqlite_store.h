#pragma once

#include <string>

#include "store/sqlite/session_pool.h"
#include "store/store.h"

namespace mailsift::store::sqlite {

/// The embedded back-end: one SQLite file in WAL mode, shared by a small pool of sessions so
/// that HTTP threads and workers can read while one of them writes. Every write is one
/// BEGIN IMMEDIATE transaction, so SQLite itself serialises writers (leases included) across
/// threads and processes. Thread-safe. Job members live in sqlite_job_store.cpp.
class SqliteStore final : public Store {
  public:
    /// Opens (creating if needed) the database at `path` (an existing folder) or ":memory:".
    /// Throws StoreError when it cannot be opened. Does not migrate.
    SqliteStore(std::string path, int poolSize, int busyTimeoutMs);

    std::string backend() const override { return "sqlite"; }
    int migrate() override;
    int schemaVersion() override;
    void ping() override;

    Account createAccount(std::string_view name, TimePoint now) override;
    std::optional<Account> findAccount(std::string_view name) override;
    std::int64_t countAccounts() override;

    ApiKeyRecord createApiKey(Id accountId, std::string_view lookupId, std::string_view secretHash,
                              TimePoint now) override;
    std::optional<ApiKeyRecord> findApiKey(std::string_view lookupId) override;
    std::vector<ApiKeyRecord> listApiKeys() override;
    bool revokeApiKey(Id keyId, TimePoint now) override;

    std::vector<JobRecord> listJobs(Id accountId) override;
    std::optional<JobRecord> findJob(Id accountId, Id jobId) override;
    bool setJobLabel(Id accountId, Id jobId, std::string_view label) override;

    JobRecord createJob(const NewJob& job, TimePoint now) override;
    void appendRows(Id jobId, const std::vector<JobRow>& rows) override;
    void sealJob(Id jobId, std::int64_t chunkSize, TimePoint now) override;
    void failJob(Id jobId, const std::string& error, TimePoint now) override;

    std::optional<ChunkLease> leaseChunk(const std::string& owner, TimePoint now,
                                         std::chrono::milliseconds ttl) override;
    bool renewLease(const ChunkLease& lease, TimePoint now, std::chrono::milliseconds ttl) override;
    std::vector<JobRow> leasedRows(const ChunkLease& lease) override;
    CommitOutcome commitChunk(const ChunkLease& lease, const std::vector<RowResult>& results,
                              TimePoint now) override;
    void releaseLease(const ChunkLease& lease) override;

    std::vector<ResultRow> readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                       int limit) override;
    bool scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                     const std::function<bool(const ResultRow&)>& each) override;
    bool deleteJob(Id accountId, Id jobId) override;
    std::optional<JobRecord> setJobPaused(Id accountId, Id jobId, bool paused,
                                          TimePoint now) override;

    WebhookRecord createWebhook(Id accountId, const std::string& url, const std::string& secret,
                                const std::vector<std::string>& events, TimePoint now) override;
    std::vector<WebhookRecord> listWebhooks(Id accountId) override;
    std::optional<WebhookRecord> findWebhook(Id accountId, Id webhookId) override;
    std::optional<WebhookRecord> updateWebhook(Id accountId, Id webhookId,
                                               const WebhookUpdate& update, TimePoint now) override;
    bool deleteWebhook(Id accountId, Id webhookId) override;
    std::vector<DeliveryRecord> listDeliveries(Id accountId, Id webhookId, int limit) override;
    std::vector<ClaimedDelivery> claimDeliveries(const std::string& owner, TimePoint now,
                                                 std::chrono::milliseconds ttl, int limit) override;
    bool recordDeliveryAttempt(const ClaimedDelivery& claim, const DeliveryAttempt& attempt,
                               TimePoint now) override;
    IntegrationRecord createIntegration(const IntegrationRecord& integration,
                                        TimePoint now) override;
    std::vector<IntegrationRecord> listIntegrations(Id accountId) override;
    std::optional<IntegrationRecord> findIntegration(Id accountId, Id integrationId) override;
    bool deleteIntegration(Id accountId, Id integrationId) override;

    JobRecord createIntegrationJob(const NewJob& job, bool writeBack, TimePoint now) override;
    std::optional<IntegrationTask> leaseIntegrationTask(const std::string& owner, TimePoint now,
                                                        std::chrono::milliseconds ttl) override;
    bool renewIntegrationTask(const IntegrationTask& task, TimePoint now,
                              std::chrono::milliseconds ttl) override;
    bool appendImportPage(IntegrationTask& task, const std::vector<JobRow>& rows,
                          const std::string& nextCursor) override;
    bool finishImport(const IntegrationTask& task, std::int64_t chunkSize, TimePoint now) override;
    void finishIntegrationTask(const IntegrationTask& task, const std::string& error) override;
    std::pair<std::string, std::string> integrationTaskState(Id jobId) override;

  private:
    /// Runs fn(session) on a pooled session, turning Poco errors into StoreError/StoreConflict.
    template <class Fn>
    auto withSession(Fn&& fn);
    /// Runs fn() inside BEGIN IMMEDIATE ... COMMIT on `session` (rolled back on any exception).
    template <class Fn>
    static auto inTransaction(Poco::Data::Session& session, Fn&& fn);

    std::string path_;
    SessionPool pool_;
};

}  // namespace mailsift::store::sqlite
