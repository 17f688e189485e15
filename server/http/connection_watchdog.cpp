#include "http/connection_watchdog.h"

#include <sys/socket.h>

#include <algorithm>
#include <string>

namespace mailsift::http {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

thread_local ConnectionWatchdog::Watch* tlsCurrent = nullptr;

milliseconds tickFor(milliseconds headerTimeout) {
    return std::clamp(headerTimeout / 5, milliseconds(20), milliseconds(250));
}

}  // namespace

ConnectionWatchdog::Watch::Watch(ConnectionWatchdog& watchdog, int socketFd)
    : watchdog_(watchdog), fd_(socketFd) {
    const auto now = Clock::now();
    {
        std::lock_guard lock(watchdog_.mutex_);
        since_ = now;
        headersDue_ = now + watchdog_.limits_.headerTimeout;
        watchdog_.watches_.insert(this);
    }
    tlsCurrent = this;
}

ConnectionWatchdog::Watch::~Watch() {
    tlsCurrent = nullptr;
    std::lock_guard lock(watchdog_.mutex_);
    watchdog_.watches_.erase(this);
}

void ConnectionWatchdog::Watch::requestStarted(bool hasBody) {
    std::lock_guard lock(watchdog_.mutex_);
    phase_ = Phase::request;
    since_ = Clock::now();
    hasBody_ = hasBody;
    body_.bytes = 0;
    body_.complete = false;
}

void ConnectionWatchdog::Watch::requestFinished() {
    std::lock_guard lock(watchdog_.mutex_);
    phase_ = Phase::headers;
    since_ = Clock::now();
    headersDue_ = since_ + watchdog_.limits_.keepAlive + watchdog_.limits_.headerTimeout;
}

ConnectionWatchdog::ConnectionWatchdog(Limits limits, metrics::Registry& metrics,
                                       Poco::Logger& logger)
    : limits_(limits), metrics_(metrics), logger_(logger) {
    thread_ = std::thread([this] { run(); });
}

ConnectionWatchdog::~ConnectionWatchdog() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

ConnectionWatchdog::Watch* ConnectionWatchdog::current() {
    return tlsCurrent;
}

void ConnectionWatchdog::run() {
    const milliseconds tick = tickFor(limits_.headerTimeout);
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, tick, [this] { return stopping_; });
        if (!stopping_)
            check(Clock::now());
    }
}

void ConnectionWatchdog::check(Clock::time_point now) {
    for (Watch* watch : watches_) {
        if (watch->cut_)
            continue;
        if (watch->phase_ == Watch::Phase::headers) {
            if (now > watch->headersDue_) {
                cut(*watch, "headers",
                    "the request headers were not complete within " +
                        std::to_string(limits_.headerTimeout.count()) + " ms");
            }
            continue;
        }
        if (!watch->hasBody_ || watch->body_.complete || limits_.minBodyBytesPerSecond <= 0)
            continue;
        const auto elapsed = now - watch->since_;
        if (elapsed <= limits_.headerTimeout)
            continue;
        const double seconds = std::chrono::duration<double>(elapsed).count();
        const std::int64_t bytes = watch->body_.bytes;
        if (static_cast<double>(bytes) <
            seconds * static_cast<double>(limits_.minBodyBytesPerSecond)) {
            cut(*watch, "body",
                "the request body came at " +
                    std::to_string(
                        static_cast<std::int64_t>(static_cast<double>(bytes) / seconds)) +
                    " bytes/s, under the floor of " +
                    std::to_string(limits_.minBodyBytesPerSecond) + " bytes/s");
        }
    }
}

void ConnectionWatchdog::cut(Watch& watch, const char* reason, const std::string& why) {
    watch.cut_ = true;
    // Only the socket's descriptor is touched, never the Poco object the connection's thread
    // uses: shutdown() makes its blocked read return at once. The watch is still registered, so
    // the descriptor is still open (the connection closes it after ending its watch).
    ::shutdown(watch.fd_, SHUT_RDWR);
    metrics_
        .counter("mailsift_http_slow_connections_closed_total",
                 "Connections closed because the client was too slow (headers: not complete in "
                 "http.header_timeout_ms; body: under http.min_body_bytes_per_second).",
                 {{"reason", reason}})
        .inc();
    logger_.warning("Closed a connection: " + why +
                    " (http.header_timeout_ms, http.min_body_bytes_per_second).");
}

}  // namespace mailsift::http
