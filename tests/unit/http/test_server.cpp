#include "test_server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <thread>

#include "http/api_keys.h"

namespace mailsift::http::testing {

HttpResult send(std::uint16_t port, const RequestSpec& spec) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(spec.method, spec.uri, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : spec.headers) {
        request.set(name, value);
    }
    if (spec.chunked) {
        request.setChunkedTransferEncoding(true);
    } else if (spec.body) {
        request.setContentLength64(static_cast<Poco::Int64>(spec.body->size()));
    }
    std::ostream& out = session.sendRequest(request);
    if (spec.body) {
        out << *spec.body;
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, result.body);
    for (const auto& [name, value] : response) {
        result.headers[name] = value;
    }
    return result;
}

bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

config::HttpConfig testHttpConfig() {
    config::HttpConfig config;
    config.address = "127.0.0.1";
    config.port = 0;
    config.threads = 4;
    config.maxQueued = 16;
    config.maxBodyBytes = 1024;
    config.timeoutMs = 5000;
    config.keepAliveTimeoutMs = 2000;
    config.rateLimit.requestsPerSecond = 0;  // server_abuse_test turns it on
    return config;
}

TestServer::TestServer(config::HttpConfig config, const std::function<void(Router&)>& extraRoutes)
    : channel_(new CapturingChannel), logger_(Poco::Logger::get("mailsift.http.test")) {
    logger_.setChannel(channel_);
    logger_.setLevel(Poco::Message::PRIO_INFORMATION);
    registerRoutes(router_,
                   Services{store_, jobs_, metrics_, [this] { return plugins_; }, validator_,
                            SyncValidationLimits{}, JobUploadOptions{}, config.webRoot});
    if (extraRoutes) {
        extraRoutes(router_);
    }
    server_ = std::make_unique<HttpServer>(config, router_, metrics_, logger_);
    server_->start();
}

TestServer::~TestServer() {
    server_->stop(std::chrono::seconds(2));
    logger_.setChannel(nullptr);
}

store::Id TestServer::accountId(const std::string& accountName) {
    if (const auto account = store_.findAccount(accountName)) {
        return account->id;
    }
    return store_.createAccount(accountName, std::chrono::system_clock::now()).id;
}

std::string TestServer::issueKey(const std::string& accountName) {
    return issueApiKey(store_, accountId(accountName), std::chrono::system_clock::now()).key;
}

HttpResult TestServer::get(const std::string& uri, const std::string& key) {
    RequestSpec spec;
    spec.uri = uri;
    if (!key.empty()) {
        spec.headers.emplace_back("Authorization", "Bearer " + key);
    }
    return send(spec);
}

std::string TestServer::awaitMetrics(const std::string& line) {
    std::string text;
    eventually([&] {
        text = get("/metrics").body;
        return text.find(line) != std::string::npos;
    });
    return text;
}

}  // namespace mailsift::http::testing
