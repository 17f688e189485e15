#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace fakes {

/// One request as a fake provider sees it.
struct ProviderRequest {
    std::string method;
    std::string path;   ///< without the query
    std::string query;  ///< raw, without '?'
    std::string authorization;
    std::string body;
    /// The value of query parameter `name`, "" when absent.
    std::string param(const std::string& name) const;
};

struct ProviderReply {
    int status = 200;
    std::string body = "{}";
    std::string retryAfter;  ///< sent as Retry-After when not empty
};

/// A plain-HTTP server on 127.0.0.1 (port 0) that hands every request to `handle`, plus the
/// scripted throttling every fake shares: throttle(n, s) answers the next n requests 429 with
/// Retry-After s, in the provider's own error body (`throttleBody`).
class FakeProviderServer {
  public:
    using Handle = std::function<ProviderReply(const ProviderRequest&)>;
    FakeProviderServer(Handle handle, std::string throttleBody);
    ~FakeProviderServer();

    std::uint16_t port() const;
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port()); }
    void throttle(int requests, int retryAfterSeconds);
    int throttled() const;  ///< 429s answered so far
    int requests() const;

  private:
    struct Factory;
    friend struct Factory;
    ProviderReply dispatch(const ProviderRequest& request);

    Handle handle_;
    std::string throttleBody_;
    mutable std::mutex mutex_;
    int throttleLeft_ = 0;
    int retryAfter_ = 0;
    int throttled_ = 0;
    int requests_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace fakes
