#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "engine/pipeline.h"
#include "engine/validator.h"
#include "http/http_server.h"
#include "http/router.h"
#include "http/routes.h"
#include "in_memory_store.h"
#include "jobs/job_service.h"
#include "metrics/registry.h"

namespace mailsift::http::testing {

/// Keeps every log line, so tests can check what was (and was not) logged.
class CapturingChannel : public Poco::Channel {
  public:
    void log(const Poco::Message& message) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(message.getText());
    }
    std::string joined() const {
        std::lock_guard lock(mutex_);
        std::string all;
        for (const auto& line : lines_) {
            all += line + "\n";
        }
        return all;
    }

  private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// One HTTP exchange as the client saw it.
struct HttpResult {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< names as sent by the server
    std::string header(const std::string& name) const {
        const auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// Options of one request made by send().
struct RequestSpec {
    std::string method = "GET";
    std::string uri = "/";
    std::vector<std::pair<std::string, std::string>> headers;
    std::optional<std::string> body;
    bool chunked = false;
};

/// Sends one request over plain HTTP to 127.0.0.1:port.
HttpResult send(std::uint16_t port, const RequestSpec& spec);

/// Polls `condition` until it holds or a few seconds have passed; returns its last value. For
/// effects that follow a response (the dispatcher records metrics and logs after sending).
bool eventually(const std::function<bool()>& condition);

/// The usual test configuration: loopback, port 0, few threads, a small body limit.
config::HttpConfig testHttpConfig();

/// A real server on 127.0.0.1 (port 0) with the production route table over an in-memory store,
/// plus whatever test routes `extraRoutes` adds. `config.webRoot` is the dashboard folder. Started
/// by the constructor, stopped by the destructor.
class TestServer {
  public:
    explicit TestServer(config::HttpConfig config = testHttpConfig(),
                        const std::function<void(Router&)>& extraRoutes = {});
    ~TestServer();

    /// Creates an account (once per name) and returns a fresh key for it.
    std::string issueKey(const std::string& accountName);
    store::Id accountId(const std::string& accountName);

    HttpResult get(const std::string& uri, const std::string& key = {});
    HttpResult send(RequestSpec spec) { return testing::send(server_->port(), spec); }

    /// Polls /metrics until it contains `line` (the dispatcher records a request just after the
    /// response has left), up to a few seconds. Returns the last text seen.
    std::string awaitMetrics(const std::string& line);

    std::uint16_t port() const { return server_->port(); }
    InMemoryStore& store() { return store_; }
    metrics::Registry& metrics() { return metrics_; }
    std::string logs() const { return channel_->joined(); }
    std::vector<plugin_host::PluginInfo>& plugins() { return plugins_; }

  private:
    /// The HostApi the (stage-less) pipeline gets; nothing in these tests logs through it.
    class QuietHost final : public HostApi {
      public:
        void log(LogLevel, std::string_view, std::string_view) override {}
        std::string resolvePath(std::string_view path) const override { return std::string(path); }
        std::chrono::system_clock::time_point now() const override {
            return std::chrono::system_clock::now();
        }
    };

    InMemoryStore store_;
    QuietHost host_;
    engine::Pipeline pipeline_{{}, {}, host_, Poco::Logger::get("mailsift.http.test.engine")};
    engine::Validator validator_{pipeline_};
    jobs::JobService jobs_{store_};
    metrics::Registry metrics_;
    std::vector<plugin_host::PluginInfo> plugins_;
    Router router_;
    Poco::AutoPtr<CapturingChannel> channel_;
    Poco::Logger& logger_;
    std::unique_ptr<HttpServer> server_;
};

}  // namespace mailsift::http::testing
