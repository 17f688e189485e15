#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/integration_records.h"
#include "store/job_records.h"
#include "store/webhook_records.h"

namespace mailsift::store {

using TimePoint = std::chrono::system_clock::time_point;  // stored as epoch milliseconds

struct Account {
    Id id = 0;
    std::string name;
    TimePoint createdAt;
};

struct ApiKeyRecord {
    Id id = 0;
    Id accountId = 0;
    std::string accountName;
    std::string lookupId;    ///< public part of the key, used to find it
    std::string secretHash;  ///< hex SHA-256 of the whole key; the key itself is never stored
    TimePoint createdAt;
    std::optional<TimePoint> revokedAt;
};

/// A validation job as the API shows it (counters are those committed so far).
struct JobRecord {
    Id id = 0;
    Id accountId = 0;
    std::string label;
    std::string state;   ///< pending, running, paused, failed, done
    std::string source;  ///< file, input, excel, or an integration system
    std::int64_t emailCount = 0;
    std::optional<Id> integrationId;
    std::string integrationSystem;  ///< "" when integrationId is empty
    std::int64_t totalEmails = 0;
    std::int64_t deliverableCount = 0;
    std::int64_t undeliverableCount = 0;
    std::int64_t riskyCount = 0;
    TimePoint createdAt;
    std::optional<TimePoint> finishedAt;
    std::string error;  ///< why a failed job failed, "" otherwise
};

/// The store could not be reached or answered with an error; the request may be retried later.
class StoreError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// A unique constraint was violated (e.g. an account name that exists already).
class StoreConflict : public StoreError {
  public:
    using StoreError::StoreError;
};

/// All persistent state of the server. Two implementations (sqlite/, mysql/) pass one conformance
/// suite. Every member is thread-safe; every query about an account's data takes the account id.
class Store {
  public:
    virtual ~Store() = default;

    /// "sqlite" or "mysql".
    virtual std::string backend() const = 0;
    /// Applies the migrations newer than the database's schema; returns how many were applied.
    virtual int migrate() = 0;
    /// Highest migration applied, 0 for an empty database.
    virtual int schemaVersion() = 0;
    /// Throws StoreError when the database cannot answer a trivial query now.
    virtual void ping() = 0;

    virtual Account createAccount(std::string_view name, TimePoint now) = 0;  ///< StoreConflict
    virtual std::optional<Account> findAccount(std::string_view name) = 0;
    virtual std::int64_t countAccounts() = 0;

    virtual ApiKeyRecord createApiKey(Id accountId, std::string_view lookupId,
                                      std::string_view secretHash, TimePoint now) = 0;
    /// The key with this lookup id, revoked or not (the caller decides); nullopt when unknown.
    virtual std::optional<ApiKeyRecord> findApiKey(std::string_view lookupId) = 0;
    /// Every key of every account, oldest first.
    virtual std::vector<ApiKeyRecord> listApiKeys() = 0;
    /// False when no such key exists or it was revoked already.
    virtual bool revokeApiKey(Id keyId, TimePoint now) = 0;

    /// The account's jobs, newest first.
    virtual std::vector<JobRecord> listJobs(Id accountId) = 0;
    /// nullopt when the job does not exist or belongs to another account.
    virtual std::optional<JobRecord> findJob(Id accountId, Id jobId) = 0;

    // --- Ingestion: a job is created, its rows appended in large batches, then sealed. ---

    /// A new job in state pending with no rows.
    virtual JobRecord createJob(const NewJob& job, TimePoint now) = 0;
    /// Stores `rows` (consecutive positions) in one transaction and adds them to emailCount.
    /// Batches of one job may be appended from several threads at once (disjoint positions);
    /// throws StoreError, storing nothing, when the job is gone or sealed by the time they commit.
    virtual void appendRows(Id jobId, const std::vector<JobRow>& rows) = 0;
    /// All rows are in: splits them into chunks of `chunkSize` positions that workers may lease.
    /// A job with no rows is done at once.
    virtual void sealJob(Id jobId, std::int64_t chunkSize, TimePoint now) = 0;
    /// Changes the job's label (a form may send `label` after the file it labels). False when the
    /// job is not the account's.
    virtual bool setJobLabel(Id accountId, Id jobId, std::string_view label) = 0;
    /// Marks the job failed with `error` (shown to the user); its chunks are no longer leased.
    virtual void failJob(Id jobId, const std::string& error, TimePoint now) = 0;

    // --- Workers: lease a chunk, read its rows, commit its results (or lose the lease). ---

    /// Leases the next chunk for `owner` until now + ttl, fairly across accounts and jobs (the
    /// account and then the job served longest ago first), among pending or running jobs that are
    /// sealed; expired leases are taken over. Moves a pending job to running. Never hands one
    /// chunk to two live leases, across processes too. nullopt when nothing is due.
    virtual std::optional<ChunkLease> leaseChunk(const std::string& owner, TimePoint now,
                                                 std::chrono::milliseconds ttl) = 0;
    /// Extends the lease; false when it is no longer held (taken over, job deleted or failed).
    virtual bool renewLease(const ChunkLease& lease, TimePoint now,
                            std::chrono::milliseconds ttl) = 0;
    /// The chunk's rows in position order.
    virtual std::vector<JobRow> leasedRows(const ChunkLease& lease) = 0;
    /// In one transaction, if the lease is still held: writes `results` (first occurrences of the
    /// chunk), marks the chunk done, adds to the job's counters; when it was the last chunk, also
    /// copies results to duplicate rows, sets the counters from all rows, and moves the job to
    /// done with finishedAt. Otherwise writes nothing and answers leaseLost.
    virtual CommitOutcome commitChunk(const ChunkLease& lease,
                                      const std::vector<RowResult>& results, TimePoint now) = 0;
    /// Gives a held chunk back unfinished (graceful shutdown), so another worker leases it now.
    virtual void releaseLease(const ChunkLease& lease) = 0;

    // --- Reading and managing jobs (all scoped to the account). ---

    /// Up to `limit` rows from position `fromPos` on, in position order (read by key range).
    virtual std::vector<ResultRow> readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                               int limit) = 0;
    /// Calls `each` for every finished row in position order whose classifier is in
    /// `classifiers` (all when empty), reading in key-range pages so memory stays flat; stops
    /// early when `each` returns false. False when the job is not the account's.
    virtual bool scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                             const std::function<bool(const ResultRow&)>& each) = 0;
    /// Removes the job with its rows and chunks, in any state; in-flight leases are lost.
    /// False when the job is not the account's.
    virtual bool deleteJob(Id accountId, Id jobId) = 0;
    /// Pauses (no new leases) or resumes a job; pausing a done or failed job changes nothing.
    /// nullopt when the job is not the account's.
    virtual std::optional<JobRecord> setJobPaused(Id accountId, Id jobId, bool paused,
                                                  TimePoint now) = 0;

    // --- Webhooks (DESIGN section 8). The transactions that move a job to done or failed
    // (commitChunk, sealJob of an empty job, failJob) also write one pending delivery per active
    // subscription of the job's account that asks for that event (the outbox). ---

    /// A new subscription (active) with this url, secret and events.
    virtual WebhookRecord createWebhook(Id accountId, const std::string& url,
                                        const std::string& secret,
                                        const std::vector<std::string>& events, TimePoint now) = 0;
    /// The account's subscriptions, oldest first.
    virtual std::vector<WebhookRecord> listWebhooks(Id accountId) = 0;
    /// nullopt when the subscription does not exist or belongs to another account.
    virtual std::optional<WebhookRecord> findWebhook(Id accountId, Id webhookId) = 0;
    /// Applies the set fields; nullopt when the subscription is not the account's.
    virtual std::optional<WebhookRecord> updateWebhook(Id accountId, Id webhookId,
                                                       const WebhookUpdate& update,
                                                       TimePoint now) = 0;
    /// Removes the subscription and its deliveries; false when it is not the account's.
    virtual bool deleteWebhook(Id accountId, Id webhookId) = 0;
    /// The subscription's `limit` most recent deliveries, newest first (empty for another
    /// account's subscription).
    virtual std::vector<DeliveryRecord> listDeliveries(Id accountId, Id webhookId, int limit) = 0;
    /// Claims up to `limit` pending deliveries of active subscriptions that are due (next attempt
    /// reached, no live claim) for `owner` until now + ttl, oldest due first, counting an attempt
    /// for each. One delivery is never held by two live claims, across processes too; a claim
    /// that expires (its dispatcher died) makes the delivery due again.
    virtual std::vector<ClaimedDelivery> claimDeliveries(const std::string& owner, TimePoint now,
                                                         std::chrono::milliseconds ttl,
                                                         int limit) = 0;
    /// Records how the claimed attempt ended and drops the claim; false (nothing written) when
    /// the claim is no longer held (expired and taken over, or the subscription was deleted).
    virtual bool recordDeliveryAttempt(const ClaimedDelivery& claim, const DeliveryAttempt& attempt,
                                       TimePoint now) = 0;

    // --- Integrations (stored connections to outside services), scoped to the account. ---

    /// Stores a new integration (id and timestamps filled in); StoreConflict when the account
    /// has one with the same name.
    virtual IntegrationRecord createIntegration(const IntegrationRecord& integration,
                                                TimePoint now) = 0;
    /// The account's integrations, oldest first.
    virtual std::vector<IntegrationRecord> listIntegrations(Id accountId) = 0;
    /// nullopt when it does not exist or belongs to another account.
    virtual std::optional<IntegrationRecord> findIntegration(Id accountId, Id integrationId) = 0;
    /// False when it does not exist or belongs to another account. Jobs keep their rows.
    virtual bool deleteIntegration(Id accountId, Id integrationId) = 0;

    // --- Integration jobs: imported page by page in the background, then written back. ---

    /// A new pending job (like createJob) and its task in state importing, in one transaction.
    /// `job.integrationId` must be set.
    virtual JobRecord createIntegrationJob(const NewJob& job, bool writeBack, TimePoint now) = 0;
    /// Leases the next task for `owner` until now + ttl: an importing task of a pending job, or
    /// an awaiting task (write-back) of a done job (it turns writing); expired leases are taken
    /// over. Never hands one task to two live leases. nullopt when nothing is due.
    virtual std::optional<IntegrationTask> leaseIntegrationTask(const std::string& owner,
                                                                TimePoint now,
                                                                std::chrono::milliseconds ttl) = 0;
    /// Extends the lease; false when it is no longer held (taken over, job deleted).
    virtual bool renewIntegrationTask(const IntegrationTask& task, TimePoint now,
                                      std::chrono::milliseconds ttl) = 0;
    /// In one transaction, if the lease is still held: stores `rows` (positions from
    /// task.nextPos on), adds them to emailCount, and records `nextCursor` and the next position
    /// in the task (and in `task`). False, writing nothing, when the lease is lost.
    virtual bool appendImportPage(IntegrationTask& task, const std::vector<JobRow>& rows,
                                  const std::string& nextCursor) = 0;
    /// The import is complete: seals the job into chunks of `chunkSize` and moves the task to
    /// awaiting (write-back on) or done. False when the lease is lost.
    virtual bool finishImport(const IntegrationTask& task, std::int64_t chunkSize,
                              TimePoint now) = 0;
    /// Ends the task (write-back finished, or failed with `error`, which is kept on the task).
    virtual void finishIntegrationTask(const IntegrationTask& task, const std::string& error) = 0;
    /// The task's state and error ("" and "" when the job has none), for tests and operators.
    virtual std::pair<std::string, std::string> integrationTaskState(Id jobId) = 0;
};

}  // namespace mailsift::store
