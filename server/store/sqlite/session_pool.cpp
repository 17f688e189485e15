#include "store/sqlite/session_pool.h"

#include <Poco/Data/SQLite/SessionImpl.h>

#include <chrono>

#include "store/store.h"

namespace mailsift::store::sqlite {

namespace {

constexpr auto kAcquireTimeout = std::chrono::seconds(30);

}  // namespace

SessionPool::SessionPool(std::string path, int size, int busyTimeoutMs)
    : path_(std::move(path)),
      size_(path_ == ":memory:" ? 1 : static_cast<std::size_t>(size < 1 ? 1 : size)),
      busyTimeoutMs_(busyTimeoutMs < 0 ? 0 : busyTimeoutMs) {
    idle_.push_back(open());
    open_ = 1;
}

SessionPool::~SessionPool() = default;

std::unique_ptr<Poco::Data::Session> SessionPool::open() const {
    using Poco::Data::Keywords::into;
    using Poco::Data::Keywords::now;
    // The session is made from the connector's implementation directly, so no process-wide
    // connector registration is needed.
    const std::size_t loginTimeoutSeconds = static_cast<std::size_t>(busyTimeoutMs_ / 1000 + 1);
    auto session = std::make_unique<Poco::Data::Session>(Poco::AutoPtr<Poco::Data::SessionImpl>(
        new Poco::Data::SQLite::SessionImpl(path_, loginTimeoutSeconds)));
    Poco::Data::Session& s = *session;
    s << "PRAGMA busy_timeout = " + std::to_string(busyTimeoutMs_), now;
    std::string journalMode;
    s << "PRAGMA journal_mode = WAL", into(journalMode), now;
    if (journalMode != "wal" && path_ != ":memory:") {
        throw StoreError("sqlite: could not switch " + path_ + " to WAL mode (journal mode is " +
                         journalMode + ")");
    }
    s << "PRAGMA foreign_keys = ON", now;
    s << "PRAGMA synchronous = NORMAL", now;
    return session;
}

SessionPool::Lease SessionPool::acquire() {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (!idle_.empty()) {
            auto session = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(session));
        }
        if (open_ < size_) {
            ++open_;
            lock.unlock();
            try {
                return Lease(*this, open());
            } catch (...) {
                lock.lock();
                --open_;
                freed_.notify_one();
                throw;
            }
        }
        if (freed_.wait_for(lock, kAcquireTimeout) == std::cv_status::timeout && idle_.empty()) {
            throw StoreError("sqlite: all " + std::to_string(size_) +
                             " sessions stayed busy for 30 s");
        }
    }
}

void SessionPool::release(std::unique_ptr<Poco::Data::Session> session) {
    bool healthy = true;
    try {
        if (session->isTransaction()) {
            session->rollback();
        }
    } catch (...) {
        healthy = false;  // a session that cannot roll back is not handed out again
    }
    std::lock_guard lock(mutex_);
    if (healthy) {
        idle_.push_back(std::move(session));
    } else {
        --open_;
    }
    freed_.notify_one();
}

SessionPool::Lease::Lease(SessionPool& pool, std::unique_ptr<Poco::Data::Session> session)
    : pool_(pool), session_(std::move(session)) {}

SessionPool::Lease::~Lease() {
    if (session_) {
        pool_.release(std::move(session_));
    }
}

}  // namespace mailsift::store::sqlite
