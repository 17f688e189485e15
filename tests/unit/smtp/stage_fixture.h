#pragma once
// Shared helpers for the smtp stage tests: a HostApi with a movable clock, hand-built batches (as
// the syntax and dns stages would leave them) and a stage configured against the fake server.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mailsift/batch.h"
#include "mailsift/host_api.h"
#include "probe/smtp_stage.h"
#include "smtp/fake_smtp_server.h"

namespace mailsift::stages::smtp::test {

using namespace std::chrono_literals;
using fakes::FakeSmtpBehaviour;
using fakes::FakeSmtpConnection;
using fakes::FakeSmtpServer;

/// A HostApi whose clock tests move by hand.
class TestHost final : public HostApi {
  public:
    void log(LogLevel, std::string_view plugin, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines.push_back(std::string(plugin) + ": " + std::string(message));
    }
    std::string resolvePath(std::string_view path) const override { return std::string(path); }
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 50) +
               offset.load();
    }

    std::atomic<std::chrono::seconds> offset{std::chrono::seconds(0)};
    std::vector<std::string> lines;

  private:
    std::mutex mutex_;
};

inline MailServer mx(std::string host, std::uint16_t preference, std::string ip) {
    return MailServer{std::move(host), preference, {std::move(ip)}};
}

/// An item as the syntax and dns stages leave it.
inline Item item(const std::string& address, std::vector<MailServer> servers) {
    Item out;
    out.input = address;
    const std::size_t at = address.rfind('@');
    out.address.normalized = address;
    out.address.local = address.substr(0, at);
    out.address.domain = address.substr(at + 1);
    for (char c : out.address.local)
        out.address.utf8Local = out.address.utf8Local || static_cast<unsigned char>(c) >= 0x80;
    out.evidence.mailServers = std::move(servers);
    return out;
}

inline Batch batchOf(std::vector<Item> items,
                     std::chrono::milliseconds deadline = std::chrono::milliseconds(10000)) {
    Batch batch;
    batch.items = std::move(items);
    batch.deadline = Batch::Clock::now() + deadline;
    return batch;
}

/// The smtp facts recorded on an item (there must be exactly one outcome, maybe plus catchAll).
inline std::vector<Fact> smtpFacts(const Item& item) {
    std::vector<Fact> out;
    for (Fact fact : item.evidence.facts) {
        if (fact >= Fact::mailboxAccepted)
            out.push_back(fact);
    }
    return out;
}

/// The most sessions open at once across `connections`, from their start and end times.
inline int maxOverlap(const std::vector<FakeSmtpConnection>& connections) {
    std::vector<std::pair<std::chrono::steady_clock::time_point, int>> events;
    for (const FakeSmtpConnection& c : connections) {
        events.emplace_back(c.start, 1);
        events.emplace_back(c.ended ? c.end : std::chrono::steady_clock::time_point::max(), -1);
    }
    std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return a.first < b.first || (a.first == b.first && a.second < b.second);
    });
    int open = 0;
    int most = 0;
    for (const auto& event : events) {
        open += event.second;
        most = std::max(most, open);
    }
    return most;
}

/// Base fixture: add addresses to `server`, call startServer(), then makeStage().
class SmtpStageTest : public ::testing::Test {
  protected:
    void TearDown() override { server.stop(); }

    void startServer() { server.start(); }

    /// A stage for the fake's port with short timeouts; `extra` is more JSON members.
    std::unique_ptr<SmtpStage> makeStage(const std::string& extra = "") {
        std::string json = "{\"port\":" + std::to_string(server.port()) +
                           ",\"helo_name\":\"probe.mailsift.test\","
                           "\"connect_timeout_ms\":2000,\"command_timeout_ms\":2000,"
                           "\"banner_timeout_ms\":2000,\"greylist_retry_ms\":100,"
                           "\"backoff_initial_ms\":50,\"backoff_max_ms\":200";
        if (!extra.empty())
            json += "," + extra;
        json += "}";
        return std::make_unique<SmtpStage>(host, json);
    }

    void run(SmtpStage& stage, Batch& batch) {
        StageContext context{host};
        stage.run(batch, context);
        // Sessions end with QUIT before run() returns; the fake may still be closing its side.
        server.waitIdle(2s);
    }

    TestHost host;
    FakeSmtpServer server;
};

}  // namespace mailsift::stages::smtp::test
