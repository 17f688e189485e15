#pragma once

#include <Poco/Net/HTTPServer.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace mailsift::fakes {

/// A real HTTP server on 127.0.0.1 that receives webhooks and answers as scripted: a queue of
/// answers (status, delay before answering) used in order, then a default (200 at once). It can
/// go down and come back up on the same port. Records every request it read completely.
/// With a certificate and key it speaks HTTPS instead (a TLS handshake a client refuses records
/// nothing). Thread-safe.
class FakeWebhookReceiver {
  public:
    struct Answer {
        int status = 200;
        std::chrono::milliseconds delay{0};
    };
    struct Request {
        std::string method;
        std::string path;
        std::map<std::string, std::string> headers;  ///< names lower-cased
        std::string body;
        int answeredWith = 0;
    };

    /// PEM files the HTTPS mode presents.
    struct Tls {
        std::string certificate;
        std::string privateKey;
    };

    /// Starts listening on a free port of 127.0.0.1 (plain HTTP).
    FakeWebhookReceiver();
    /// The same over HTTPS with the given certificate and key.
    explicit FakeWebhookReceiver(Tls tls);
    ~FakeWebhookReceiver();
    FakeWebhookReceiver(const FakeWebhookReceiver&) = delete;
    FakeWebhookReceiver& operator=(const FakeWebhookReceiver&) = delete;

    std::uint16_t port() const { return port_; }
    /// http://127.0.0.1:<port><path> (https:// in the HTTPS mode)
    std::string url(const std::string& path = "/hooks/mailsift") const;

    /// Stops listening (connections are then refused) / listens again on the same port.
    void down();
    void up();

    /// Answers to use, in order, before the default.
    void script(std::vector<Answer> answers);
    void setDefault(Answer answer);

    std::vector<Request> requests();
    /// Waits until at least `count` requests were recorded; false on timeout.
    bool waitForRequests(std::size_t count, std::chrono::milliseconds timeout);

    /// Called by the request handler: begin() when a request arrives, then nextAnswer(),
    /// record() and end(). down() waits for every begun request to end, so no handler outlives
    /// the receiver (a scripted delay may still be running when a test is over).
    void begin();
    Answer nextAnswer();
    void record(Request request);
    void end();

  private:
    std::uint16_t port_ = 0;
    std::optional<Tls> tls_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Answer> script_;
    Answer default_;
    std::vector<Request> requests_;
    int inFlight_ = 0;
};

}  // namespace mailsift::fakes
