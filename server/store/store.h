#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::store {

using Id = std::int64_t;
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
};

}  // namespace mailsift::store
