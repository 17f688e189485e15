#pragma once

#include <Poco/Data/Session.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mailsift::store::sqlite {

/// A fixed-size pool of SQLite sessions on one database file, each set up the same way (WAL,
/// busy timeout, foreign keys, synchronous=NORMAL). Sessions are opened on demand up to `size`.
/// Thread-safe; a leased session is used by one thread at a time.
class SessionPool {
  public:
    /// Opens the first session at once, so a bad path fails here. `path` may be ":memory:"
    /// (then the pool holds one session, as every connection would see its own database).
    SessionPool(std::string path, int size, int busyTimeoutMs);
    ~SessionPool();
    SessionPool(const SessionPool&) = delete;
    SessionPool& operator=(const SessionPool&) = delete;

    /// Exclusive use of one session until destroyed; an open transaction is rolled back on return.
    class Lease {
      public:
        Lease(SessionPool& pool, std::unique_ptr<Poco::Data::Session> session);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Poco::Data::Session& operator*() { return *session_; }

      private:
        SessionPool& pool_;
        std::unique_ptr<Poco::Data::Session> session_;
    };

    /// Waits (up to the busy timeout) for a free session; throws StoreError when none frees up.
    Lease acquire();

  private:
    std::unique_ptr<Poco::Data::Session> open() const;
    void release(std::unique_ptr<Poco::Data::Session> session);

    std::string path_;
    std::size_t size_;
    int busyTimeoutMs_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<Poco::Data::Session>> idle_;
    std::size_t open_ = 0;  ///< sessions in existence, idle or leased
};

}  // namespace mailsift::store::sqlite
