#include "webhook/fake_webhook_receiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>
#include <thread>

namespace mailsift::fakes {

namespace {

class Handler : public Poco::Net::HTTPRequestHandler {
  public:
    explicit Handler(FakeWebhookReceiver& receiver) : receiver_(receiver) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        receiver_.begin();
        struct End {
            FakeWebhookReceiver& receiver;
            ~End() { receiver.end(); }
        } end{receiver_};
        FakeWebhookReceiver::Request recorded;
        recorded.method = request.getMethod();
        recorded.path = request.getURI();
        for (const auto& [name, value] : request) {
            recorded.headers[Poco::toLower(name)] = value;
        }
        std::ostringstream body;
        Poco::StreamCopier::copyStream(request.stream(), body);
        recorded.body = body.str();
        const FakeWebhookReceiver::Answer answer = receiver_.nextAnswer();
        recorded.answeredWith = answer.status;
        if (answer.delay.count() > 0) {
            std::this_thread::sleep_for(answer.delay);
        }
        receiver_.record(recorded);
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        response.setContentType("text/plain");
        response.send() << "status " << answer.status;
    }

  private:
    FakeWebhookReceiver& receiver_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
  public:
    explicit Factory(FakeWebhookReceiver& receiver) : receiver_(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new Handler(receiver_);
    }

  private:
    FakeWebhookReceiver& receiver_;
};

}  // namespace

FakeWebhookReceiver::FakeWebhookReceiver() {
    up();
}

FakeWebhookReceiver::FakeWebhookReceiver(Tls tls) : tls_(std::move(tls)) {
    Poco::Net::initializeSSL();
    up();
}

FakeWebhookReceiver::~FakeWebhookReceiver() {
    down();
    if (tls_) {
        Poco::Net::uninitializeSSL();
    }
}

std::string FakeWebhookReceiver::url(const std::string& path) const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

void FakeWebhookReceiver::up() {
    if (server_) {
        return;
    }
    Poco::Net::ServerSocket socket;
    if (tls_) {
        Poco::Net::Context::Params params;
        params.certificateFile = tls_->certificate;
        params.privateKeyFile = tls_->privateKey;
        params.verificationMode = Poco::Net::Context::VERIFY_NONE;
        params.loadDefaultCAs = false;
        socket = Poco::Net::SecureServerSocket(
            new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, params));
    }
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port_), true);
    socket.listen(64);
    port_ = socket.address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
}

void FakeWebhookReceiver::down() {
    if (!server_) {
        return;
    }
    server_->stopAll(true);
    server_.reset();
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return inFlight_ == 0; });
}

void FakeWebhookReceiver::begin() {
    std::lock_guard lock(mutex_);
    ++inFlight_;
}

void FakeWebhookReceiver::end() {
    {
        std::lock_guard lock(mutex_);
        --inFlight_;
    }
    changed_.notify_all();
}

void FakeWebhookReceiver::script(std::vector<Answer> answers) {
    std::lock_guard lock(mutex_);
    script_.assign(answers.begin(), answers.end());
}

void FakeWebhookReceiver::setDefault(Answer answer) {
    std::lock_guard lock(mutex_);
    default_ = answer;
}

FakeWebhookReceiver::Answer FakeWebhookReceiver::nextAnswer() {
    std::lock_guard lock(mutex_);
    if (script_.empty()) {
        return default_;
    }
    const Answer answer = script_.front();
    script_.pop_front();
    return answer;
}

void FakeWebhookReceiver::record(Request request) {
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(std::move(request));
    }
    changed_.notify_all();
}

std::vector<FakeWebhookReceiver::Request> FakeWebhookReceiver::requests() {
    std::lock_guard lock(mutex_);
    return requests_;
}

bool FakeWebhookReceiver::waitForRequests(std::size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

}  // namespace mailsift::fakes
