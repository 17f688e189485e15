#include "http/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>

#include "http/connection_watchdog.h"
#include "http/rate_limiter.h"
#include "http/request_dispatcher.h"

namespace mailsift::http {

namespace {

constexpr int kListenBacklog = 128;

class DispatchingHandler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit DispatchingHandler(RequestDispatcher& dispatcher) : dispatcher_(dispatcher) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        dispatcher_.dispatch(request, response);
    }

  private:
    RequestDispatcher& dispatcher_;
};

class DispatchingHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit DispatchingHandlerFactory(RequestDispatcher& dispatcher) : dispatcher_(dispatcher) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new DispatchingHandler(dispatcher_);
    }

    /// Tells the connections that the server stops (what HTTPServer::stopAll does): each ends
    /// after its current request, or at once when `abortCurrent`.
    void announceStop(bool abortCurrent) { serverStopped(this, abortCurrent); }

  private:
    RequestDispatcher& dispatcher_;
};

/// Poco's HTTP connection under the watch of the ConnectionWatchdog for as long as it runs.
class WatchedConnection : public Poco::Net::TCPServerConnection {
  public:
    WatchedConnection(const Poco::Net::StreamSocket& socket,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                      ConnectionWatchdog& watchdog)
        : Poco::Net::TCPServerConnection(socket),
          inner_(socket, std::move(params), std::move(factory)),
          watchdog_(watchdog) {}

    void run() override {
        const ConnectionWatchdog::Watch watch(watchdog_, socket().impl()->sockfd(), peer());
        inner_.run();
    }

  private:
    /// The client's address for log lines ("unknown client" when it is gone already).
    std::string peer() {
        try {
            return socket().peerAddress().toString();
        } catch (const Poco::Exception&) {
            return "unknown client";
        }
    }

  private:
    Poco::Net::HTTPServerConnection inner_;
    ConnectionWatchdog& watchdog_;
};

class WatchedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
  public:
    WatchedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::Net::HTTPRequestHandlerFactory::Ptr factory,
                             ConnectionWatchdog& watchdog)
        : params_(std::move(params)), factory_(std::move(factory)), watchdog_(watchdog) {}

    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
        return new WatchedConnection(socket, params_, factory_, watchdog_);
    }

  private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr factory_;
    ConnectionWatchdog& watchdog_;
};

/// Throws a sentence naming the config key when `path` cannot be opened for reading.
void requireReadable(const char* key, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int error = errno;
        throw std::runtime_error("Cannot read the file \"" + path + "\" named by " + key + ": " +
                                 std::strerror(error) + ". Set " + key +
                                 " to a PEM file that the server's user can read.");
    }
}

Poco::Net::Context::Ptr makeTlsContext(const config::TlsConfig& tls) {
    requireReadable("http.tls.certificate", tls.certificate);
    requireReadable("http.tls.private_key", tls.privateKey);
    Poco::Net::Context::Params params;
    params.privateKeyFile = tls.privateKey;
    params.certificateFile = tls.certificate;
    params.verificationMode = Poco::Net::Context::VERIFY_NONE;  // no client certificates
    params.loadDefaultCAs = false;
    params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES";
    try {
        Poco::Net::Context::Ptr context =
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params);
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        return context;
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("Cannot load the TLS certificate \"" + tls.certificate +
                                 "\" or private key \"" + tls.privateKey +
                                 "\": " + e.displayText() +
                                 ". Fix http.tls.certificate and http.tls.private_key (PEM files "
                                 "that the server's user can read).");
    }
}

}  // namespace

HttpServer::HttpServer(const config::HttpConfig& config, const Router& router,
                       metrics::Registry& metrics, Poco::Logger& logger)
    : config_(config), router_(router), metrics_(metrics), logger_(logger) {
    if (config_.rateLimit.enabled())
        rateLimiter_ = std::make_unique<RateLimiter>(config_.rateLimit);
}

HttpServer::~HttpServer() {
    try {
        stop(std::chrono::milliseconds(0));
    } catch (...) {
        // a destructor must not throw; stop() only fails when Poco does, and nothing is left to do
    }
    if (sslInitialized_) {
        Poco::Net::uninitializeSSL();
    }
}

void HttpServer::start() {
    if (server_) {
        return;
    }
    const std::string where = config_.address + ":" + std::to_string(config_.port);
    const int threads = std::max(config_.threads, 1);

    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (config_.tls.enabled()) {
        if (!sslInitialized_) {
            Poco::Net::initializeSSL();
            sslInitialized_ = true;
        }
        socket = std::make_unique<Poco::Net::SecureServerSocket>(makeTlsContext(config_.tls));
    } else {
        socket = std::make_unique<Poco::Net::ServerSocket>();
    }
    try {
        socket->bind(Poco::Net::SocketAddress(config_.address, config_.port), true);
        socket->listen(kListenBacklog);
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("Cannot listen on " + where + ": " + e.displayText() +
                                 ". Change http.address or http.port, or stop the process that "
                                 "uses the port.");
    }
    port_ = socket->address().port();

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(std::max(config_.maxQueued, 1));
    params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(config_.timeoutMs) *
                                      Poco::Timespan::MILLISECONDS));
    params->setKeepAlive(true);
    // A connection holds its thread while it is kept alive; closing it after a number of requests
    // lets connections queued for a thread in (a client reconnects at no cost).
    params->setMaxKeepAliveRequests(config_.maxKeepAliveRequests);
    params->setKeepAliveTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(config_.keepAliveTimeoutMs) *
                       Poco::Timespan::MILLISECONDS));
    params->setSoftwareVersion("mailsift");

    dispatcher_ = std::make_unique<RequestDispatcher>(router_, metrics_, logger_,
                                                      config_.maxBodyBytes, rateLimiter_.get());
    ConnectionWatchdog::Limits limits;
    limits.headerTimeout = std::chrono::milliseconds(config_.headerTimeoutMs);
    limits.keepAlive = std::chrono::milliseconds(config_.keepAliveTimeoutMs);
    limits.minBodyBytesPerSecond = config_.minBodyBytesPerSecond;
    limits.sendTimeout = std::chrono::milliseconds(config_.sendTimeoutMs);
    limits.minResponseBytesPerSecond = config_.minResponseBytesPerSecond;
    watchdog_ = std::make_unique<ConnectionWatchdog>(limits, metrics_, logger_);
    threads_ = std::make_unique<Poco::ThreadPool>("mailsift-http", 1, threads);
    handlerFactory_ = new DispatchingHandlerFactory(*dispatcher_);
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new WatchedConnectionFactory(params, handlerFactory_, *watchdog_), *threads_, *socket,
        params);
    server_->start();
    logger_.information(std::string("Listening on ") + config_.address + ":" +
                        std::to_string(port_) + (tls() ? " (HTTPS)" : " (HTTP)"));
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    if (!server_) {
        return;
    }
    // What Poco's HTTPServer::stopAll does: stop accepting, then tell the connections.
    server_->stop();
    auto& factory = static_cast<DispatchingHandlerFactory&>(*handlerFactory_);
    factory.announceStop(false);  // connections end after their current request
    dispatcher_->waitIdle(std::chrono::steady_clock::now() + grace);
    factory.announceStop(true);  // close the rest: idle kept-alive, overlong
    threads_->joinAll();
    server_.reset();
    threads_.reset();
    handlerFactory_ = nullptr;
    watchdog_.reset();
    dispatcher_.reset();
    logger_.information("Stopped listening on port " + std::to_string(port_));
}

}  // namespace mailsift::http
