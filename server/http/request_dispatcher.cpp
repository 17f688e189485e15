#include "http/request_dispatcher.h"

#include <Poco/Exception.h>

#include <array>
#include <optional>
#include <sstream>

#include "http/connection_watchdog.h"
#include "http/http_error.h"
#include "http/limited_input_stream.h"
#include "http/redaction.h"
#include "http/request_context.h"
#include "http/response_writer.h"

namespace mailsift::http {

namespace {

constexpr std::string_view kUnmatched = "unmatched";
constexpr std::string_view kInternalError = "Internal server error";

/// Methods outside this list are counted as "other", so that clients cannot grow the label set.
std::string methodLabel(const std::string& method) {
    static constexpr std::array<std::string_view, 7> kKnown = {"GET",   "POST", "PUT",    "DELETE",
                                                               "PATCH", "HEAD", "OPTIONS"};
    for (const auto known : kKnown) {
        if (method == known) {
            return method;
        }
    }
    return "other";
}

bool declaresBody(const Poco::Net::HTTPServerRequest& request) {
    return request.getChunkedTransferEncoding() ||
           (request.hasContentLength() && request.getContentLength64() > 0);
}

/// Answers with an error unless a response is under way already. An unread body would be taken
/// for the next request on a kept-alive connection, so such connections are closed.
void answerError(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                 int status, std::string_view sentence) {
    if (response.sent()) {
        return;
    }
    if (declaresBody(request)) {
        response.setKeepAlive(false);
    }
    response_writer::writeError(response, status, sentence);
}

class InFlightGuard {
  public:
    InFlightGuard(std::mutex& mutex, std::condition_variable& idle, int& count)
        : mutex_(mutex), idle_(idle), count_(count) {
        std::lock_guard lock(mutex_);
        ++count_;
    }
    ~InFlightGuard() {
        std::lock_guard lock(mutex_);
        if (--count_ == 0) {
            idle_.notify_all();
        }
    }
    InFlightGuard(const InFlightGuard&) = delete;
    InFlightGuard& operator=(const InFlightGuard&) = delete;

  private:
    std::mutex& mutex_;
    std::condition_variable& idle_;
    int& count_;
};

std::string rateLimitedMessage(const config::RateLimitConfig& limit, std::int64_t retryAfter) {
    return "Too many requests with this API key: the limit is " +
           std::to_string(limit.requestsPerSecond) + " per second, with bursts of " +
           std::to_string(limit.burst) + ". Wait " + std::to_string(retryAfter) +
           (retryAfter == 1 ? " second" : " seconds") +
           " (the Retry-After header) and send fewer requests at once.";
}

/// Tells the connection watchdog (when the connection has one) that a request is being handled,
/// and that it is over when this goes out of scope.
class WatchedRequest {
  public:
    explicit WatchedRequest(bool hasBody) : watch_(ConnectionWatchdog::current()) {
        if (watch_ != nullptr)
            watch_->requestStarted(hasBody);
    }
    ~WatchedRequest() {
        if (watch_ != nullptr)
            watch_->requestFinished();
    }
    WatchedRequest(const WatchedRequest&) = delete;
    WatchedRequest& operator=(const WatchedRequest&) = delete;
    BodyProgress* body() { return watch_ == nullptr ? nullptr : &watch_->body(); }

  private:
    ConnectionWatchdog::Watch* watch_;
};

}  // namespace

RequestDispatcher::RequestDispatcher(const Router& router, metrics::Registry& metrics,
                                     Poco::Logger& logger, std::int64_t maxBodyBytes,
                                     RateLimiter* rateLimiter)
    : router_(router),
      metrics_(metrics),
      logger_(logger),
      maxBodyBytes_(maxBodyBytes),
      rateLimiter_(rateLimiter) {}

bool RequestDispatcher::waitIdle(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(idleMutex_);
    return idle_.wait_until(lock, deadline, [this] { return inFlight_ == 0; });
}

void RequestDispatcher::dispatch(Poco::Net::HTTPServerRequest& request,
                                 Poco::Net::HTTPServerResponse& response) {
    const InFlightGuard guard(idleMutex_, idle_, inFlight_);
    WatchedRequest watched(declaresBody(request));
    const auto started = std::chrono::steady_clock::now();
    std::string routeLabel(kUnmatched);
    std::string accountLabel = "-";
    handle(request, response, routeLabel, accountLabel, watched.body());
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    record(request.getMethod(), routeLabel, static_cast<int>(response.getStatus()), elapsed.count(),
           accountLabel);
}

void RequestDispatcher::handle(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response, std::string& routeLabel,
                               std::string& accountLabel, BodyProgress* bodyProgress) {
    std::optional<RequestContext> ctx;
    try {
        const std::string& uri = request.getURI();
        const std::size_t question = uri.find('?');
        const std::string_view path = std::string_view(uri).substr(0, question);
        if (path.empty() || path.front() != '/') {
            answerError(request, response, 400,
                        "The request target must be a path such as /v1/email/validate/job.");
            return;
        }
        RouteMatch match = router_.match(request.getMethod(), path);
        if (match.kind == RouteMatch::Kind::notFound) {
            answerError(request, response, 404, "Not found");
            return;
        }
        if (match.kind == RouteMatch::Kind::methodNotAllowed) {
            std::string allowed;
            for (const auto& method : match.allowed) {
                allowed += (allowed.empty() ? "" : ", ") + method;
            }
            response.set("Allow", allowed);
            answerError(request, response, 405,
                        "The method " + request.getMethod() + " is not allowed on this path; use " +
                            allowed + ".");
            return;
        }
        const Route& route = *match.route;
        routeLabel = route.pattern;
        if (auto* watch = ConnectionWatchdog::current())
            watch->setRoute(request.getMethod() + " " + route.pattern);  // for the log of a cut
        const std::string rawQuery =
            question == std::string::npos ? std::string() : uri.substr(question + 1);
        ctx.emplace(request, response, std::move(match.params), QueryParams::parse(rawQuery),
                    maxBodyBytes_, bodyProgress);
        if (route.options.requireAuth) {
            const auto& authenticator = router_.authenticator();
            const std::string header = request.get("Authorization", "");
            std::optional<AuthenticatedKey> key;
            if (authenticator && !header.empty()) {
                key = authenticator(header);
            }
            if (!key) {
                response.set("WWW-Authenticate", "Bearer");
                answerError(request, response, 401, "Unauthorized");
                return;
            }
            accountLabel = std::to_string(key->accountId);
            if (rateLimiter_ != nullptr) {
                if (const auto retryAfter = rateLimiter_->take(key->keyId)) {
                    response.set("Retry-After", std::to_string(*retryAfter));
                    answerError(request, response, 429,
                                rateLimitedMessage(rateLimiter_->config(), *retryAfter));
                    return;
                }
            }
            ctx->setAuthenticatedKey(std::move(*key));
        }
        if (request.hasContentLength() && request.getContentLength64() > maxBodyBytes_) {
            answerError(request, response, 413, bodyTooLargeMessage(maxBodyBytes_));
            return;
        }
        route.handler(*ctx);
        if (!response.sent()) {
            logger_.error("Route " + request.getMethod() + " " + routeLabel +
                          " returned without answering; this is a bug in its handler.");
            answerError(request, response, 500, kInternalError);
        }
    } catch (const HttpError& e) {
        if (ctx && ctx->bodyLimitExceeded()) {
            answerError(request, response, 413, bodyTooLargeMessage(maxBodyBytes_));
            return;
        }
        if (!response.sent()) {
            for (const auto& [name, value] : e.headers()) {
                response.set(name, value);
            }
        }
        answerError(request, response, e.status(), e.what());
    } catch (const Poco::Exception& e) {
        if (ctx && ctx->bodyLimitExceeded()) {
            answerError(request, response, 413, bodyTooLargeMessage(maxBodyBytes_));
            return;
        }
        logger_.error("Request " + request.getMethod() + " " + routeLabel +
                      " failed: " + redactCredentials(e.displayText()));
        answerError(request, response, 500, kInternalError);
    } catch (const std::exception& e) {
        if (ctx && ctx->bodyLimitExceeded()) {
            answerError(request, response, 413, bodyTooLargeMessage(maxBodyBytes_));
            return;
        }
        logger_.error("Request " + request.getMethod() + " " + routeLabel +
                      " failed: " + redactCredentials(e.what()));
        answerError(request, response, 500, kInternalError);
    } catch (...) {
        logger_.error("Request " + request.getMethod() + " " + routeLabel +
                      " failed with an exception of unknown type.");
        answerError(request, response, 500, kInternalError);
    }
}

void RequestDispatcher::record(const std::string& method, const std::string& route, int status,
                               double seconds, const std::string& account) {
    const std::string methodName = methodLabel(method);
    metrics_
        .counter("mailsift_http_requests_total", "HTTP requests answered, by route and status.",
                 {{"route", route}, {"method", methodName}, {"status", std::to_string(status)}})
        .inc();
    metrics_
        .histogram("mailsift_http_request_duration_seconds",
                   "Time from request to response, in seconds, by route.",
                   metrics::defaultLatencyBuckets(), {{"route", route}, {"method", methodName}})
        .observe(seconds);
    if (logger_.information()) {
        std::ostringstream line;
        line.precision(1);
        line << std::fixed << methodName << ' ' << route << ' ' << status << ' ' << seconds * 1000.0
             << " ms account=" << account;
        logger_.information(line.str());
    }
}

}  // namespace mailsift::http
