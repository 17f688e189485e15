#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "http/rate_limiter.h"
#include "http/router.h"
#include "metrics/registry.h"

namespace mailsift::http {

/// Runs one request through the route table: 404/405 for unknown paths and methods, 401 for a
/// missing or wrong API key, 429 with Retry-After when the key has used up its rate limit, 413 for
/// a declared body over the limit, then the handler. HttpError
/// becomes `{"error": ...}` with its status; any other exception becomes 500
/// `{"error":"Internal server error"}`, with the detail logged, never sent. Every request is
/// counted in `mailsift_http_requests_total{route,method,status}` and timed in
/// `mailsift_http_request_duration_seconds{route,method}` (route is the pattern or "unmatched"),
/// and logged at information level without the Authorization header.
///
/// dispatch() is called concurrently from the server's threads; the router, registry and logger
/// must outlive the dispatcher.
class RequestDispatcher {
  public:
    /// `rateLimiter` may be null (no limit); it must outlive the dispatcher.
    RequestDispatcher(const Router& router, metrics::Registry& metrics, Poco::Logger& logger,
                      std::int64_t maxBodyBytes, RateLimiter* rateLimiter = nullptr);

    void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// Waits until no request is being dispatched, or until `deadline`; true when idle.
    bool waitIdle(std::chrono::steady_clock::time_point deadline);

  private:
    /// Routes, authenticates and calls the handler; returns the route label and account id.
    void handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                std::string& routeLabel, std::string& accountLabel, BodyProgress* bodyProgress);
    void record(const std::string& method, const std::string& route, int status, double seconds,
                const std::string& account);

    const Router& router_;
    metrics::Registry& metrics_;
    Poco::Logger& logger_;
    std::int64_t maxBodyBytes_;
    RateLimiter* rateLimiter_;

    std::mutex idleMutex_;
    std::condition_variable idle_;
    int inFlight_ = 0;
};

}  // namespace mailsift::http
