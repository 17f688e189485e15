#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fakes/dns/fake_dns_server.h"
#include "smtp/fake_smtp_server.h"

namespace mailsift::bench {

/// The simulated internet of the engine benchmarks, all on loopback: `hosts` mail servers on
/// 127.1.0.1, 127.1.0.2, ... (one FakeSmtpServer, one port), and a FakeDnsServer whose zone gives
/// every domain of every round one MX on its host. Each server knows the same local parts at any
/// domain, offers PIPELINING, no STARTTLS, and waits `replyDelay` before every reply.
struct BenchWorldOptions {
    int hosts = 200;
    int rounds = 1;  ///< domains per host: round r of host h is domain(h, r)
    std::vector<std::string> knownLocal;
    std::chrono::milliseconds replyDelay{20};
};

class BenchWorld {
  public:
    /// Builds the zone and the servers and starts both. Throws std::runtime_error.
    explicit BenchWorld(const BenchWorldOptions& options);
    ~BenchWorld();
    BenchWorld(const BenchWorld&) = delete;
    BenchWorld& operator=(const BenchWorld&) = delete;

    /// "127.1.0.<host>", host counted from 1 (at most 254 hosts).
    static std::string hostIp(int host);
    /// "h<host>r<round>.bench.test", host counted from 1, round from 0.
    static std::string domain(int host, int round);
    /// "m01", "m02", ...: local parts that are no role address.
    static std::vector<std::string> localParts(int count);

    fakes::FakeDnsServer& dns() { return dns_; }
    fakes::FakeSmtpServer& smtp() { return smtp_; }
    int hosts() const { return options_.hosts; }

    /// The most sessions that were open at once to any one host.
    int maxConcurrentPerHost() const;

  private:
    BenchWorldOptions options_;
    fakes::FakeDnsServer dns_;
    fakes::FakeSmtpServer smtp_;
};

/// The JSON config of each of the five stages, in pipeline order, for the fakes of a world.
/// `dnsCache` false sets cache_entries 0; `catchAllProbe` false turns the probe off.
struct StageSettings {
    std::string dnsServer;  ///< "127.0.0.1:<port>"
    std::uint16_t smtpPort = 0;
    int perHostConnections = 2;
    int maxConnections = 200;
    bool dnsCache = true;
    bool catchAllProbe = true;
};
std::vector<std::pair<std::string, std::string>> stageConfigs(const StageSettings& settings);

/// Wall-clock milliseconds since `start`.
double millisecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace mailsift::bench
