#pragma once

#include <Poco/Logger.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "http/limited_input_stream.h"
#include "metrics/registry.h"

namespace mailsift::http {

/// Cuts connections whose client is too slow, so that slow clients cannot hold every server
/// thread (Poco's socket timeout is per read or write, so a client sending or taking one byte now
/// and then would otherwise keep its thread for ever):
/// - a request's headers must be complete within `headerTimeout` of the connection's start (or of
///   the previous response plus the keep-alive time);
/// - a request body must arrive at `minBodyBytesPerSecond` on average once `headerTimeout` has
///   passed since the headers (0 = no floor);
/// - while response bytes wait for the client (the kernel's send queue is not empty), the client
///   must take some within every `sendTimeout`, and, over each `sendTimeout` of such waiting, at
///   `minResponseBytesPerSecond` on average (0 = no floor). The first span is the grace; time the
///   server spends producing the response does not count against the client.
/// A cut shuts the socket down, so the thread blocked on it (reading or sending) wakes and the
/// connection ends; it is logged with the client's address and the route, and counted in
/// `mailsift_http_slow_connections_closed_total{reason}` (headers, body, send, response).
///
/// One thread checks the watched connections a few times per header or send timeout. Watches are
/// made and ended by connection threads; the watchdog must outlive them.
class ConnectionWatchdog {
  public:
    struct Limits {
        std::chrono::milliseconds headerTimeout{10000};
        std::chrono::milliseconds keepAlive{10000};
        std::int64_t minBodyBytesPerSecond = 1024;
        std::chrono::milliseconds sendTimeout{30000};
        std::int64_t minResponseBytesPerSecond = 16384;
    };

    /// One connection under watch, made by the connection's thread at its start; the thread's
    /// current() while it lives.
    class Watch {
      public:
        /// `client` is the peer's address, for the log line of a cut.
        Watch(ConnectionWatchdog& watchdog, int socketFd, std::string client);
        ~Watch();
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;

        /// The headers are in; `hasBody` when a body follows. Resets the body progress.
        void requestStarted(bool hasBody);
        /// The request's route (method and pattern), for the log line of a cut.
        void setRoute(std::string route);
        /// The response is sent; the next request's headers are due within keep-alive + timeout.
        void requestFinished();
        /// Where the body reader reports progress (valid while the watch lives).
        BodyProgress& body() { return body_; }

      private:
        friend class ConnectionWatchdog;
        enum class Phase { headers, request };

        ConnectionWatchdog& watchdog_;
        int fd_;
        const std::string client_;
        // Guarded by the watchdog's mutex:
        Phase phase_ = Phase::headers;
        std::chrono::steady_clock::time_point since_;
        std::chrono::steady_clock::time_point headersDue_;
        bool hasBody_ = false;
        bool cut_ = false;
        BodyProgress body_;
        std::string route_;
        // The response side, sampled by the watchdog's thread (see checkResponse):
        bool sendSampled_ = false;
        std::uint64_t acked_ = 0;  ///< the kernel's acknowledged-bytes count at the last sample
        std::chrono::steady_clock::time_point sampledAt_;
        std::chrono::steady_clock::time_point lastProgress_;  ///< a byte taken, or nothing queued
        std::chrono::steady_clock::duration waited_{};        ///< waiting on the client this span
        std::uint64_t takenInSpan_ = 0;
    };

    ConnectionWatchdog(Limits limits, metrics::Registry& metrics, Poco::Logger& logger);
    ~ConnectionWatchdog();  ///< stops the checking thread
    ConnectionWatchdog(const ConnectionWatchdog&) = delete;
    ConnectionWatchdog& operator=(const ConnectionWatchdog&) = delete;

    /// The calling thread's watch, or nullptr outside a watched connection.
    static Watch* current();

  private:
    void run();
    void check(std::chrono::steady_clock::time_point now);
    void checkResponse(Watch& watch, std::chrono::steady_clock::time_point now);
    void cut(Watch& watch, const char* reason, const std::string& why);

    Limits limits_;
    metrics::Registry& metrics_;
    Poco::Logger& logger_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::set<Watch*> watches_;
    std::thread thread_;
};

}  // namespace mailsift::http
