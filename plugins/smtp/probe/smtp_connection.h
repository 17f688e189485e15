#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "probe/smtp_reply.h"

struct ssl_ctx_st;
struct ssl_st;

namespace mailsift::stages::smtp {

using Clock = std::chrono::steady_clock;

/// When an I/O step must give up: at `at`, or as soon as `cancel` (may be null) turns true.
struct Deadline {
    Clock::time_point at;
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    /// The earlier of this deadline and now + `timeout`.
    Deadline within(std::chrono::milliseconds timeout) const;
};

/// How an I/O step ended.
enum class IoStatus {
    ok,
    timeout,    ///< the deadline passed first
    cancelled,  ///< the cancel flag was raised
    refused,    ///< connect() was refused or the address is unreachable
    closed,     ///< the peer closed or reset the connection
    malformed,  ///< the peer sent something that is not an SMTP reply
    tlsFailed,  ///< the TLS handshake failed
};

/// One client TCP connection to an SMTP server, optionally upgraded to TLS. Non-blocking socket
/// driven by poll(), so every step honours a deadline and a cancel flag. Owned by one thread.
class SmtpConnection {
  public:
    SmtpConnection() = default;
    ~SmtpConnection();
    SmtpConnection(const SmtpConnection&) = delete;
    SmtpConnection& operator=(const SmtpConnection&) = delete;

    /// Connects to `ip`:`port` (IPv4 or IPv6 literal), from `bindAddress` when not empty.
    IoStatus connect(const std::string& ip, std::uint16_t port, const std::string& bindAddress,
                     Deadline deadline);

    /// Sends all of `data`.
    IoStatus write(std::string_view data, Deadline deadline);

    /// Reads the next complete reply into `reply`.
    IoStatus readReply(SmtpReply& reply, Deadline deadline);

    /// Runs a TLS client handshake over the connection (after a 220 to STARTTLS). `context` must
    /// outlive this connection; `serverName` is sent as SNI when not empty.
    IoStatus startTls(ssl_ctx_st* context, const std::string& serverName, Deadline deadline);

    /// Reads and drops whatever comes until the server closes, or the deadline. After QUIT or a
    /// closing reply this makes sure the server has let go of the connection before our slot
    /// for its host is reused, so the server never sees more sessions than the cap.
    void awaitClose(Deadline deadline);

    bool tls() const { return ssl_ != nullptr; }
    /// True when bytes the server sent are waiting unread (e.g. before our STARTTLS).
    bool hasBufferedInput() const { return !buffer_.empty(); }
    void close();

  private:
    enum class Want { read, write };
    IoStatus waitFor(Want want, Deadline deadline);
    /// Reads some bytes into buffer_.
    IoStatus fill(Deadline deadline);

    int fd_ = -1;
    ssl_st* ssl_ = nullptr;
    std::string buffer_;
};

}  // namespace mailsift::stages::smtp
