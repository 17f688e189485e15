#include "http/connection_watchdog.h"

#include <sys/socket.h>

#include <algorithm>
#include <string>
#include <utility>

#include "http/send_queue.h"

namespace mailsift::http {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

thread_local ConnectionWatchdog::Watch* tlsCurrent = nullptr;

milliseconds tickFor(const ConnectionWatchdog::Limits& limits) {
    return std::clamp(std::min(limits.headerTimeout, limits.sendTimeout) / 5, milliseconds(20),
                      milliseconds(250));
}

std::string millis(milliseconds value) {
    return std::to_string(value.count()) + " ms";
}

}  // namespace

ConnectionWatchdog::Watch::Watch(ConnectionWatchdog& watchdog, int socketFd, std::string client)
    : watchdog_(watchdog), fd_(socketFd), client_(std::move(client)) {
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
    route_.clear();
    sendSampled_ = false;
}

void ConnectionWatchdog::Watch::setRoute(std::string route) {
    std::lock_guard lock(watchdog_.mutex_);
    route_ = std::move(route);
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
    const milliseconds tick = tickFor(limits_);
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
                        millis(limits_.headerTimeout) + " (http.header_timeout_ms)");
            }
            continue;
        }
        checkResponse(*watch, now);
        if (watch->cut_ || !watch->hasBody_ || watch->body_.complete ||
            limits_.minBodyBytesPerSecond <= 0)
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
                    std::to_string(limits_.minBodyBytesPerSecond) +
                    " bytes/s (http.min_body_bytes_per_second)");
        }
    }
}

void ConnectionWatchdog::checkResponse(Watch& watch, Clock::time_point now) {
    const auto queue = readSendQueue(watch.fd_);
    if (!queue)
        return;  // not TCP as the kernel sees it: nothing to measure
    if (!watch.sendSampled_) {
        watch.sendSampled_ = true;
        watch.acked_ = queue->acked;
        watch.sampledAt_ = now;
        watch.lastProgress_ = now;
        watch.waited_ = {};
        watch.takenInSpan_ = 0;
        return;
    }
    const std::uint64_t taken = queue->acked - watch.acked_;
    const auto interval = now - watch.sampledAt_;
    watch.acked_ = queue->acked;
    watch.sampledAt_ = now;
    watch.takenInSpan_ += taken;
    if (taken > 0 || queue->unacked == 0)
        watch.lastProgress_ = now;
    if (queue->unacked == 0)
        return;  // the client has all there is: the server is not waiting on it
    watch.waited_ += interval;
    // A span of waiting with nothing taken is a stall, whichever rule notices it first.
    if (now - watch.lastProgress_ > limits_.sendTimeout ||
        (watch.waited_ > limits_.sendTimeout && watch.takenInSpan_ == 0)) {
        cut(watch, "send",
            "the client took no byte of the response for " + millis(limits_.sendTimeout) +
                " (http.send_timeout_ms)");
        return;
    }
    if (limits_.minResponseBytesPerSecond <= 0 || watch.waited_ <= limits_.sendTimeout)
        return;
    const double seconds = std::chrono::duration<double>(watch.waited_).count();
    if (static_cast<double>(watch.takenInSpan_) <
        seconds * static_cast<double>(limits_.minResponseBytesPerSecond)) {
        cut(watch, "response",
            "the client took the response at " +
                std::to_string(
                    static_cast<std::int64_t>(static_cast<double>(watch.takenInSpan_) / seconds)) +
                " bytes/s, under the floor of " +
                std::to_string(limits_.minResponseBytesPerSecond) +
                " bytes/s (http.min_response_bytes_per_second)");
        return;
    }
    watch.waited_ = {};  // a new span begins
    watch.takenInSpan_ = 0;
}

void ConnectionWatchdog::cut(Watch& watch, const char* reason, const std::string& why) {
    watch.cut_ = true;
    // Only the socket's descriptor is touched, never the Poco object the connection's thread
    // uses: shutdown() makes its blocked read or send return at once. The watch is still
    // registered, so the descriptor is still open (the connection closes it after ending its
    // watch). A zero linger makes that close a reset: what is still queued for a slow reader is
    // dropped instead of trickling out to it from kernel memory.
    const linger reset{1, 0};
    ::setsockopt(watch.fd_, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
    ::shutdown(watch.fd_, SHUT_RDWR);
    metrics_
        .counter("mailsift_http_slow_connections_closed_total",
                 "Connections closed because the client was too slow (headers: not complete in "
                 "http.header_timeout_ms; body: under http.min_body_bytes_per_second; send: no "
                 "response byte taken in http.send_timeout_ms; response: under "
                 "http.min_response_bytes_per_second).",
                 {{"reason", reason}})
        .inc();
    const std::string during = watch.phase_ == Watch::Phase::headers ? "waiting for a request"
                               : watch.route_.empty()                ? "a request"
                                                                     : watch.route_;
    logger_.warning("Closed the connection from " + watch.client_ + " (" + during + "): " + why +
                    ".");
}

}  // namespace mailsift::http
