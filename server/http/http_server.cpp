#include "http/http_server.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <algorithm>
#include <stdexcept>
#include <string>

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

  private:
    RequestDispatcher& dispatcher_;
};

Poco::Net::Context::Ptr makeTlsContext(const config::TlsConfig& tls) {
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
                                 ". Fix http.tls.certificate and http.tls.privateKey (PEM files).");
    }
}

}  // namespace

HttpServer::HttpServer(const config::HttpConfig& config, const Router& router,
                       metrics::Registry& metrics, Poco::Logger& logger)
    : config_(config), router_(router), metrics_(metrics), logger_(logger) {}

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
    params->setKeepAliveTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(config_.keepAliveTimeoutMs) *
                       Poco::Timespan::MILLISECONDS));
    params->setSoftwareVersion("mailsift");

    dispatcher_ =
        std::make_unique<RequestDispatcher>(router_, metrics_, logger_, config_.maxBodyBytes);
    threads_ = std::make_unique<Poco::ThreadPool>("mailsift-http", 1, threads);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new DispatchingHandlerFactory(*dispatcher_),
                                                      *threads_, *socket, params);
    server_->start();
    logger_.information(std::string("Listening on ") + config_.address + ":" +
                        std::to_string(port_) + (tls() ? " (HTTPS)" : " (HTTP)"));
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    if (!server_) {
        return;
    }
    server_->stopAll(false);  // stop accepting; connections end after their current request
    dispatcher_->waitIdle(std::chrono::steady_clock::now() + grace);
    server_->stopAll(true);  // close what is left: idle kept-alive connections, overlong requests
    threads_->joinAll();
    server_.reset();
    threads_.reset();
    dispatcher_.reset();
    logger_.information("Stopped listening on port " + std::to_string(port_));
}

}  // namespace mailsift::http
