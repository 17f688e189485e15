#pragma once

#include <memory>
#include <string>

#include "fakes/dns/fake_dns_server.h"
#include "integration/server_fixture.h"
#include "smtp/fake_smtp_server.h"

namespace mailsift::testing {

/// Loopback addresses of the fake mail servers, one behaviour each.
namespace mx {
constexpr const char* kGood = "127.20.0.1";         // knows alice, bob, carol, info; scripted RCPTs
constexpr const char* kCatchAll = "127.20.0.2";     // accepts everyone
constexpr const char* kGreyClears = "127.20.0.3";   // greylists for 300 ms
constexpr const char* kGreyStuck = "127.20.0.4";    // greylists for an hour
constexpr const char* kSlowBanner = "127.20.0.5";   // greets after 5 s (banner timeout: 1 s)
constexpr const char* kBannerBlock = "127.20.0.6";  // 554 5.7.1 at the greeting
constexpr const char* kMailBlock = "127.20.0.7";    // 5.7.1 at MAIL FROM
constexpr const char* kBusy = "127.20.0.8";         // 421 at the greeting
constexpr const char* kNothingListens = "127.20.0.9";  // no listener: connection refused
constexpr const char* kDrops = "127.20.0.10";          // closes without a greeting
constexpr const char* kCloses = "127.20.0.11";         // closes in the middle of the RCPTs
constexpr const char* kRcpt421 = "127.20.0.12";        // 421 in answer to RCPT
constexpr const char* kCapped = "127.20.0.20";  // cap1..cap5.test; p001..p100 exist; 5 ms replies
}  // namespace mx

/// The world of the validate-route tests: a FakeDnsServer whose zone names every situation
/// (good.test, catchall.test, greystuck.test, servfail.test, ...: see the .cpp), a FakeSmtpServer
/// with the behaviours of namespace mx, and the real mailsift-server with the five stage plugins
/// configured to ask them, with short timeouts. Built and started by the constructor (throws when
/// something cannot start); stopped by the destructor. Owned by one test process.
class ValidateRouteEnvironment {
  public:
    ValidateRouteEnvironment();
    ~ValidateRouteEnvironment();
    ValidateRouteEnvironment(const ValidateRouteEnvironment&) = delete;
    ValidateRouteEnvironment& operator=(const ValidateRouteEnvironment&) = delete;

    fakes::FakeDnsServer& dns() { return dns_; }
    fakes::FakeSmtpServer& smtp() { return smtp_; }
    ServerFixture& fixture() { return *fixture_; }
    ServerProcess& server() { return *server_; }

    /// "p001" ... "p100": the local parts that the capped host knows (no role addresses).
    static std::string localPart(int i);

  private:
    fakes::FakeDnsServer dns_;
    fakes::FakeSmtpServer smtp_;
    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
};

}  // namespace mailsift::testing
