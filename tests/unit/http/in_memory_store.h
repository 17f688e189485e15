#pragma once

#include <algorithm>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.h"

namespace mailsift::http::testing {

/// A Store test double for the HTTP layer's unit tests: accounts, keys and jobs in memory, and a
/// switch to make ping() fail. Thread-safe like the real ones (the server calls it from its pool).
class InMemoryStore : public store::Store {
  public:
    std::string backend() const override { return "memory"; }
    int migrate() override { return 0; }
    int schemaVersion() override { return 1; }

    void ping() override {
        std::lock_guard lock(mutex_);
        if (!pingError_.empty()) {
            throw store::StoreError(pingError_);
        }
    }

    /// Makes ping() throw StoreError(message); "" makes it succeed again.
    void failPing(std::string message) {
        std::lock_guard lock(mutex_);
        pingError_ = std::move(message);
    }

    store::Account createAccount(std::string_view name, store::TimePoint now) override {
        std::lock_guard lock(mutex_);
        for (const auto& account : accounts_) {
            if (account.name == name) {
                throw store::StoreConflict("An account named " + std::string(name) + " exists.");
            }
        }
        accounts_.push_back({static_cast<store::Id>(accounts_.size() + 1), std::string(name), now});
        return accounts_.back();
    }

    std::optional<store::Account> findAccount(std::string_view name) override {
        std::lock_guard lock(mutex_);
        for (const auto& account : accounts_) {
            if (account.name == name) {
                return account;
            }
        }
        return std::nullopt;
    }

    std::int64_t countAccounts() override {
        std::lock_guard lock(mutex_);
        return static_cast<std::int64_t>(accounts_.size());
    }

    store::ApiKeyRecord createApiKey(store::Id accountId, std::string_view lookupId,
                                     std::string_view secretHash, store::TimePoint now) override {
        std::lock_guard lock(mutex_);
        for (const auto& key : keys_) {
            if (key.lookupId == lookupId) {
                throw store::StoreConflict("Duplicate lookup id.");
            }
        }
        store::ApiKeyRecord record;
        record.id = static_cast<store::Id>(keys_.size() + 1);
        record.accountId = accountId;
        for (const auto& account : accounts_) {
            if (account.id == accountId) {
                record.accountName = account.name;
            }
        }
        record.lookupId = std::string(lookupId);
        record.secretHash = std::string(secretHash);
        record.createdAt = now;
        keys_.push_back(record);
        return record;
    }

    std::optional<store::ApiKeyRecord> findApiKey(std::string_view lookupId) override {
        std::lock_guard lock(mutex_);
        ++findApiKeyCalls_;
        for (const auto& key : keys_) {
            if (key.lookupId == lookupId) {
                return key;
            }
        }
        return std::nullopt;
    }

    std::vector<store::ApiKeyRecord> listApiKeys() override {
        std::lock_guard lock(mutex_);
        return keys_;
    }

    bool revokeApiKey(store::Id keyId, store::TimePoint now) override {
        std::lock_guard lock(mutex_);
        for (auto& key : keys_) {
            if (key.id == keyId && !key.revokedAt) {
                key.revokedAt = now;
                return true;
            }
        }
        return false;
    }

    std::vector<store::JobRecord> listJobs(store::Id accountId) override {
        std::lock_guard lock(mutex_);
        std::vector<store::JobRecord> result;
        for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {
            if (it->accountId == accountId) {
                result.push_back(*it);
            }
        }
        return result;
    }

    std::optional<store::JobRecord> findJob(store::Id accountId, store::Id jobId) override {
        std::lock_guard lock(mutex_);
        for (const auto& job : jobs_) {
            if (job.id == jobId && job.accountId == accountId) {
                return job;
            }
        }
        return std::nullopt;
    }

    bool setJobLabel(store::Id accountId, store::Id jobId, std::string_view label) override {
        std::lock_guard lock(mutex_);
        for (auto& job : jobs_) {
            if (job.id == jobId && job.accountId == accountId) {
                job.label = std::string(label);
                return true;
            }
        }
        return false;
    }

    // Job members the HTTP tests do not use yet.
    store::JobRecord createJob(const store::NewJob&, store::TimePoint) override { unused(); }
    void appendRows(store::Id, const std::vector<store::JobRow>&) override { unused(); }
    void sealJob(store::Id, std::int64_t, store::TimePoint) override { unused(); }
    void failJob(store::Id, const std::string&, store::TimePoint) override { unused(); }
    std::optional<store::ChunkLease> leaseChunk(const std::string&, store::TimePoint,
                                                std::chrono::milliseconds) override {
        unused();
    }
    bool renewLease(const store::ChunkLease&, store::TimePoint,
                    std::chrono::milliseconds) override {
        unused();
    }
    std::vector<store::JobRow> leasedRows(const store::ChunkLease&) override { unused(); }
    store::CommitOutcome commitChunk(const store::ChunkLease&, const std::vector<store::RowResult>&,
                                     store::TimePoint) override {
        unused();
    }
    void releaseLease(const store::ChunkLease&) override { unused(); }
    std::vector<store::ResultRow> readResults(store::Id, store::Id, std::int64_t, int) override {
        unused();
    }
    bool scanResults(store::Id, store::Id, const std::vector<std::string>&,
                     const std::function<bool(const store::ResultRow&)>&) override {
        unused();
    }
    bool deleteJob(store::Id, store::Id) override { unused(); }
    std::optional<store::JobRecord> setJobPaused(store::Id, store::Id, bool,
                                                 store::TimePoint) override {
        unused();
    }
    store::WebhookRecord createWebhook(store::Id, const std::string&, const std::string&,
                                       const std::vector<std::string>&, store::TimePoint) override {
        unused();
    }
    std::vector<store::WebhookRecord> listWebhooks(store::Id) override { return {}; }
    std::optional<store::WebhookRecord> findWebhook(store::Id, store::Id) override {
        return std::nullopt;
    }
    std::optional<store::WebhookRecord> updateWebhook(store::Id, store::Id,
                                                      const store::WebhookUpdate&,
                                                      store::TimePoint) override {
        return std::nullopt;
    }
    bool deleteWebhook(store::Id, store::Id) override { return false; }
    std::vector<store::DeliveryRecord> listDeliveries(store::Id, store::Id, int) override {
        return {};
    }
    std::vector<store::ClaimedDelivery> claimDeliveries(const std::string&, store::TimePoint,
                                                        std::chrono::milliseconds, int) override {
        return {};
    }
    bool recordDeliveryAttempt(const store::ClaimedDelivery&, const store::DeliveryAttempt&,
                               store::TimePoint) override {
        return false;
    }

    store::IntegrationRecord createIntegration(const store::IntegrationRecord&,
                                               store::TimePoint) override {
        unused();
    }
    std::vector<store::IntegrationRecord> listIntegrations(store::Id) override { unused(); }
    std::optional<store::IntegrationRecord> findIntegration(store::Id, store::Id) override {
        unused();
    }
    bool deleteIntegration(store::Id, store::Id) override { unused(); }
    store::JobRecord createIntegrationJob(const store::NewJob&, bool, store::TimePoint) override {
        unused();
    }
    std::optional<store::IntegrationTask> leaseIntegrationTask(const std::string&, store::TimePoint,
                                                               std::chrono::milliseconds) override {
        return std::nullopt;
    }
    bool renewIntegrationTask(const store::IntegrationTask&, store::TimePoint,
                              std::chrono::milliseconds) override {
        unused();
    }
    bool appendImportPage(store::IntegrationTask&, const std::vector<store::JobRow>&,
                          const std::string&) override {
        unused();
    }
    bool finishImport(const store::IntegrationTask&, std::int64_t, store::TimePoint) override {
        unused();
    }
    void finishIntegrationTask(const store::IntegrationTask&, const std::string&) override {
        unused();
    }
    std::pair<std::string, std::string> integrationTaskState(store::Id) override { unused(); }

    /// Test setup: adds a job (its id is kept as given).
    void addJob(store::JobRecord job) {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
    }

    int findApiKeyCalls() {
        std::lock_guard lock(mutex_);
        return findApiKeyCalls_;
    }

  private:
    [[noreturn]] static void unused() { throw std::logic_error("not used by these tests"); }

    std::mutex mutex_;
    std::vector<store::Account> accounts_;
    std::vector<store::ApiKeyRecord> keys_;
    std::vector<store::JobRecord> jobs_;
    std::string pingError_;
    int findApiKeyCalls_ = 0;
};

}  // namespace mailsift::http::testing
