#include "providers/fake_provider_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

namespace fakes {

std::string ProviderRequest::param(const std::string& name) const {
    const Poco::URI uri("/?" + query);
    for (const auto& [key, value] : uri.getQueryParameters()) {
        if (key == name)
            return value;
    }
    return "";
}

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(std::function<ProviderReply(const ProviderRequest&)> dispatch)
        : dispatch_(std::move(dispatch)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        ProviderRequest r;
        r.method = request.getMethod();
        const std::string& uri = request.getURI();
        const auto q = uri.find('?');
        r.path = uri.substr(0, q);
        r.query = q == std::string::npos ? "" : uri.substr(q + 1);
        r.authorization = request.get("Authorization", "");
        Poco::StreamCopier::copyToString(request.stream(), r.body);
        const ProviderReply reply = dispatch_(r);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
        if (!reply.retryAfter.empty())
            response.set("Retry-After", reply.retryAfter);
        response.setContentType("application/json;charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(reply.body.size()));
        response.send() << reply.body;
    }

  private:
    std::function<ProviderReply(const ProviderRequest&)> dispatch_;
};

}  // namespace

struct FakeProviderServer::Factory final : Poco::Net::HTTPRequestHandlerFactory {
    explicit Factory(FakeProviderServer& owner) : owner_(owner) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler([this](const ProviderRequest& r) { return owner_.dispatch(r); });
    }
    FakeProviderServer& owner_;
};

FakeProviderServer::FakeProviderServer(Handle handle, std::string throttleBody)
    : handle_(std::move(handle)), throttleBody_(std::move(throttleBody)) {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(true);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
}

FakeProviderServer::~FakeProviderServer() {
    server_->stopAll(true);
}

std::uint16_t FakeProviderServer::port() const {
    return server_->port();
}

void FakeProviderServer::throttle(int requests, int retryAfterSeconds) {
    std::lock_guard lock(mutex_);
    throttleLeft_ = requests;
    retryAfter_ = retryAfterSeconds;
}

int FakeProviderServer::throttled() const {
    std::lock_guard lock(mutex_);
    return throttled_;
}

int FakeProviderServer::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

ProviderReply FakeProviderServer::dispatch(const ProviderRequest& request) {
    {
        std::lock_guard lock(mutex_);
        ++requests_;
        if (throttleLeft_ > 0) {
            --throttleLeft_;
            ++throttled_;
            return {429, throttleBody_, std::to_string(retryAfter_)};
        }
    }
    return handle_(request);
}

}  // namespace fakes
