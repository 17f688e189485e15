#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "dns/dns_stage.h"
#include "fakes/dns/fake_dns_server.h"
#include "mailsift/batch.h"
#include "mailsift/host_api.h"

namespace mailsift::stages::dns::test {

/// A HostApi with a clock the test moves by hand, and the log lines kept.
class TestHost final : public HostApi {
  public:
    void log(LogLevel, std::string_view plugin, std::string_view message) override {
        std::lock_guard lock(mutex_);
        lines_.push_back(std::string(plugin) + ": " + std::string(message));
    }
    std::string resolvePath(std::string_view path) const override { return std::string(path); }
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::time_point(std::chrono::seconds(clock_.load()));
    }
    void advance(std::chrono::seconds by) { clock_ += by.count(); }

  private:
    std::atomic<long long> clock_{1'700'000'000};
    std::mutex mutex_;
    std::vector<std::string> lines_;
};

/// A batch of addresses as the syntax stage would leave them (local@domain, domain lower case).
inline Batch batchOf(std::initializer_list<std::string_view> emails) {
    Batch batch;
    for (std::string_view email : emails) {
        Item item;
        item.input = std::string(email);
        const std::size_t at = email.rfind('@');
        item.address.local = std::string(email.substr(0, at));
        item.address.domain = std::string(email.substr(at + 1));
        item.address.normalized = item.input;
        item.address.ipLiteral = !item.address.domain.empty() && item.address.domain[0] == '[';
        batch.items.push_back(std::move(item));
    }
    return batch;
}

/// Fake DNS on 127.0.0.1 (ephemeral port) and a way to make stages that ask only it.
class DnsTest : public ::testing::Test {
  protected:
    void SetUp() override { fake_.start(); }
    void TearDown() override { fake_.stop(); }

    /// Config JSON pointing at the fake with short timeouts; `extra` is more "key":value pairs.
    std::string config(std::string_view extra = "") const {
        std::string json = "{\"servers\":[\"" + fake_.address() +
                           "\"],\"timeout_ms\":300,\"tries\":2,\"min_ttl\":0";
        if (!extra.empty())
            json += "," + std::string(extra);
        return json + "}";
    }
    std::unique_ptr<DnsStage> stage(std::string_view extra = "") {
        return std::make_unique<DnsStage>(host_, config(extra));
    }
    void run(DnsStage& dnsStage, Batch& batch) {
        StageContext context{host_};
        dnsStage.run(batch, context);
    }

    fakes::FakeDnsZone& zone() { return fake_.zone(); }

    TestHost host_;
    fakes::FakeDnsServer fake_;
};

}  // namespace mailsift::stages::dns::test
