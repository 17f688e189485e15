#pragma once

#include <cppconn/exception.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "store/mysql/connection.h"
#include "store/store.h"

namespace mailsift::store::mysql {

/// True for the errors that mean the session is gone (server restarted, connection dropped,
/// statement handles unknown to the server): 2006, 2013, 1243, 2030 and their relatives.
bool isConnectionLost(const sql::SQLException& e);

/// True for a deadlock (1213: InnoDB rolled the whole transaction back) or a lock wait timeout
/// (1205). A transaction that failed so is rolled back and run again from the start, which is
/// safe because nothing of it was committed.
bool isLockConflict(const sql::SQLException& e);

/// Up to `size` connections, opened on demand and reused. When a call finds its connection lost,
/// the connection and its prepared statements are thrown away, a new one is opened (statements
/// are prepared again on first use) and the call is run once more — for a transaction only when
/// nothing in it had completed yet. A transaction chosen as a deadlock victim (or timing out on a
/// lock) is rolled back and run again, up to kLockRetries times. Thread-safe.
class ConnectionPool {
  public:
    ConnectionPool(ConnectionSettings settings, int size);
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    /// Runs fn(Connection&) in autocommit mode and returns its (non-void) result. SQL errors
    /// become StoreError, duplicate keys StoreConflict.
    template <class Fn>
    auto run(Fn&& fn) {
        return attempt(fn, false);
    }

    /// Like run(), inside one transaction committed when fn returns and rolled back when it throws.
    template <class Fn>
    auto transaction(Fn&& fn) {
        return attempt(fn, true);
    }

    const ConnectionSettings& settings() const { return settings_; }

    static constexpr int kLockRetries = 3;

  private:
    /// A connection on loan; returned to the pool on destruction unless discarded.
    class Lease {
      public:
        Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
            : pool_(pool), connection_(std::move(connection)) {}
        ~Lease() { pool_.release(std::move(connection_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *connection_; }
        /// Closes the connection instead of returning it (it is broken).
        void discard() { pool_.forget(std::move(connection_)); }

      private:
        ConnectionPool& pool_;
        std::unique_ptr<Connection> connection_;
    };

    template <class Fn>
    auto attempt(Fn& fn, bool transactional) -> std::invoke_result_t<Fn&, Connection&> {
        int lockRetries = 0;
        for (int round = 0;; ++round) {
            Lease lease = acquire();
            Connection& connection = *lease;
            connection.resetWork();
            try {
                if (transactional) {
                    connection.begin();
                    connection.resetWork();
                }
                auto result = fn(connection);
                if (transactional) {
                    connection.commit();
                }
                return result;
            } catch (const sql::SQLException& e) {
                if (isConnectionLost(e)) {
                    const bool didWork = transactional && connection.workDone() > 0;
                    lease.discard();
                    if (round == 0 && !didWork) {
                        continue;
                    }
                    throwLost(e, didWork);
                }
                if (transactional && !rollbackQuietly(connection)) {
                    lease.discard();
                } else if (transactional && isLockConflict(e) && lockRetries < kLockRetries) {
                    ++lockRetries;
                    --round;  // a lock conflict does not use up the reconnect retry
                    continue;
                }
                throwMapped(e);
            } catch (...) {
                if (transactional && !rollbackQuietly(connection)) {
                    lease.discard();
                }
                throw;
            }
        }
    }

    Lease acquire();
    void release(std::unique_ptr<Connection> connection);
    void forget(std::unique_ptr<Connection> connection);
    static bool rollbackQuietly(Connection& connection);
    [[noreturn]] void throwMapped(const sql::SQLException& e) const;
    [[noreturn]] void throwLost(const sql::SQLException& e, bool inTransaction) const;

    ConnectionSettings settings_;
    std::size_t size_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;  ///< connections in existence, idle or on loan
};

}  // namespace mailsift::store::mysql
