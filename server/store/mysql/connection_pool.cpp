#include "store/mysql/connection_pool.h"

#include <chrono>

namespace mailsift::store::mysql {

namespace {

constexpr auto kAcquireTimeout = std::chrono::seconds(30);

// Client errors (CR_*) and server errors (ER_*) that mean the session no longer exists.
constexpr int kServerGoneError = 2006;
constexpr int kServerLost = 2013;
constexpr int kUnknownStatementHandler = 1243;
constexpr int kStatementNotPrepared = 2030;
constexpr int kServerLostExtended = 2055;
constexpr int kServerShutdown = 1053;
constexpr int kConnectionKilled = 1927;
constexpr int kDuplicateKey = 1062;
constexpr int kLockWaitTimeout = 1205;
constexpr int kDeadlock = 1213;
constexpr int kDuplicateEntryWithKeyName = 1586;

std::string details(const sql::SQLException& e) {
    return std::string(e.what()) + " [error " + std::to_string(e.getErrorCode()) + ", SQLSTATE " +
           e.getSQLState() + "]";
}

}  // namespace

bool isConnectionLost(const sql::SQLException& e) {
    if (dynamic_cast<const sql::InvalidInstanceException*>(&e) != nullptr) {
        return true;  // the driver already knows the connection is closed
    }
    switch (e.getErrorCode()) {
        case kServerGoneError:
        case kServerLost:
        case kUnknownStatementHandler:
        case kStatementNotPrepared:
        case kServerLostExtended:
        case kServerShutdown:
        case kConnectionKilled:
            return true;
        default:
            return false;
    }
}

bool isLockConflict(const sql::SQLException& e) {
    return e.getErrorCode() == kDeadlock || e.getErrorCode() == kLockWaitTimeout;
}

ConnectionPool::ConnectionPool(ConnectionSettings settings, int size)
    : settings_(std::move(settings)), size_(static_cast<std::size_t>(size < 1 ? 1 : size)) {}

ConnectionPool::Lease ConnectionPool::acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
        if (open_ < size_) {
            ++open_;
            lock.unlock();
            try {
                return Lease(*this, Connection::open(settings_));
            } catch (const sql::SQLException& e) {
                forget(nullptr);
                throw StoreError("mysql: cannot connect to " + settings_.describe() + ": " +
                                 details(e));
            } catch (...) {
                forget(nullptr);
                throw;
            }
        }
        if (freed_.wait_for(lock, kAcquireTimeout) == std::cv_status::timeout && idle_.empty() &&
            open_ >= size_) {
            throw StoreError("mysql: all " + std::to_string(size_) + " connections to " +
                             settings_.describe() + " stayed busy for 30 s");
        }
    }
}

void ConnectionPool::release(std::unique_ptr<Connection> connection) {
    if (!connection) {
        return;  // discarded already
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    freed_.notify_one();
}

void ConnectionPool::forget(std::unique_ptr<Connection> connection) {
    connection.reset();  // closes it (and its statements) outside the lock
    std::lock_guard lock(mutex_);
    --open_;
    freed_.notify_one();
}

bool ConnectionPool::rollbackQuietly(Connection& connection) {
    try {
        connection.rollback();
        return true;
    } catch (...) {
        return false;
    }
}

void ConnectionPool::throwMapped(const sql::SQLException& e) const {
    const int code = e.getErrorCode();
    if (code == kDuplicateKey || code == kDuplicateEntryWithKeyName) {
        throw StoreConflict("mysql: " + details(e));
    }
    throw StoreError("mysql (" + settings_.describe() + "): " + details(e));
}

void ConnectionPool::throwLost(const sql::SQLException& e, bool inTransaction) const {
    throw StoreError("mysql: lost the connection to " + settings_.describe() +
                     (inTransaction ? " in the middle of a transaction (rolled back or unknown): "
                                    : " again after reconnecting: ") +
                     details(e));
}

}  // namespace mailsift::store::mysql
