#pragma once

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <chrono>
#include <cstdint>
#include <memory>

#include "config/config.h"
#include "http/router.h"
#include "metrics/registry.h"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServer;
}  // namespace Net
}  // namespace Poco

namespace mailsift::http {

class ConnectionWatchdog;
class RateLimiter;
class RequestDispatcher;

/// The HTTP(S) listener: Poco's HTTP connections on a TCPServer with its own thread pool, serving
/// `router` through a RequestDispatcher (errors, auth, per-key rate limits, body limits, metrics,
/// access log), each connection watched by a ConnectionWatchdog (slow clients are cut). HTTPS
/// when `config.tls` names a certificate and a private key (TLS 1.2 or newer). Port 0 picks a
/// free port; port() tells which.
///
/// The router, registry and logger must outlive the server. start() and stop() are called from one
/// controlling thread; the destructor stops a running server.
class HttpServer {
  public:
    HttpServer(const config::HttpConfig& config, const Router& router, metrics::Registry& metrics,
               Poco::Logger& logger);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts accepting. Throws std::runtime_error with a sentence naming the config
    /// keys to fix (address in use, bad address, unreadable certificate or key).
    void start();

    /// Stops accepting, lets requests in progress finish for up to `grace`, then closes every
    /// connection (idle kept-alive ones included) and joins the threads. Idempotent.
    void stop(std::chrono::milliseconds grace);
    /// stop() with the configured http.shutdown_grace_ms.
    void stop() { stop(std::chrono::milliseconds(config_.shutdownGraceMs)); }

    /// The bound port (the chosen one when configured with 0); 0 before start().
    std::uint16_t port() const { return port_; }
    bool running() const { return server_ != nullptr; }
    bool tls() const { return config_.tls.enabled(); }

  private:
    config::HttpConfig config_;
    const Router& router_;
    metrics::Registry& metrics_;
    Poco::Logger& logger_;
    std::unique_ptr<RateLimiter> rateLimiter_;  ///< null when http.rate_limit is off
    std::unique_ptr<RequestDispatcher> dispatcher_;
    std::unique_ptr<ConnectionWatchdog> watchdog_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlerFactory_;
    std::unique_ptr<Poco::Net::TCPServer> server_;  ///< declared last: destroyed first
    std::uint16_t port_ = 0;
    bool sslInitialized_ = false;
};

}  // namespace mailsift::http
