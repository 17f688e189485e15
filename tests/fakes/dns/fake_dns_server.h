#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "fakes/dns/fake_dns_zone.h"

namespace mailsift::fakes {

/// A DNS server for tests and benchmarks: answers from a scripted FakeDnsZone over UDP and TCP on
/// one loopback port, in its own thread, and counts what it was asked. Only 127.0.0.0/8 addresses
/// are accepted, so a test can never send traffic elsewhere by mistake.
///
/// start() and stop() belong to one owning thread; zone() and the counters may be used from any
/// thread while the server runs.
class FakeDnsServer {
  public:
    /// `host` must be an IPv4 loopback address; port 0 picks a free port (see port()).
    explicit FakeDnsServer(std::string host = "127.0.0.1", std::uint16_t port = 0);
    ~FakeDnsServer();
    FakeDnsServer(const FakeDnsServer&) = delete;
    FakeDnsServer& operator=(const FakeDnsServer&) = delete;

    /// Binds UDP and TCP on the same port and starts serving. Throws std::runtime_error when it
    /// cannot bind, std::invalid_argument for a non-loopback host.
    void start();
    /// Stops serving and closes every socket; pending delayed answers are discarded. Idempotent.
    void stop();

    FakeDnsZone& zone() { return zone_; }
    /// The bound port (valid after start()).
    std::uint16_t port() const { return port_; }
    /// "host:port", the form resolvers take in their `servers` lists.
    std::string address() const { return host_ + ":" + std::to_string(port_); }

    /// Queries received for (name, type); the name is compared case-insensitively.
    std::uint64_t queries(const std::string& name, RecordType type) const;
    std::uint64_t totalQueries() const;
    std::uint64_t udpQueries() const;
    std::uint64_t tcpQueries() const;
    void resetCounts();

  private:
    class Loop;

    void count(const std::string& name, std::uint16_t type, bool udp);

    std::string host_;
    std::uint16_t port_;
    FakeDnsZone zone_;
    std::unique_ptr<Loop> loop_;
    std::thread thread_;

    mutable std::mutex countsMutex_;
    std::map<std::pair<std::string, std::uint16_t>, std::uint64_t> counts_;
    std::uint64_t udp_ = 0;
    std::uint64_t tcp_ = 0;
};

}  // namespace mailsift::fakes
