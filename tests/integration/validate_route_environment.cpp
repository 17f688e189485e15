#include "integration/validate_route_environment.h"

#include <signal.h>

#include <chrono>
#include <utility>
#include <vector>

namespace mailsift::testing {
namespace {

using fakes::FakeSmtpBehaviour;
using Ms = std::chrono::milliseconds;

/// The plugins block with all five stages against the fakes; short timeouts keep tests fast.
std::string stagesYaml(const std::string& dnsServer, std::uint16_t smtpPort) {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    const auto file = [&lists](const std::string& key, const std::string& name) {
        return "        " + key + ": '" + lists + name + "'\n";
    };
    return "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {allow_utf8_local: true, allow_single_label_domain: false}\n"
           "    - name: mailsift.stage.lists\n"
           "      config:\n" +
           file("role_file", "role_local_parts.txt") +
           file("disposable_file", "disposable_domains.txt") +
           file("disposable_wildcard_file", "disposable_wildcard_domains.txt") +
           file("free_file", "free_domains.txt") +
           "    - name: mailsift.stage.typo\n"
           "      config:\n" +
           file("providers_file", "well_known_providers.txt") +
           file("free_file", "free_domains.txt") +
           file("disposable_file", "disposable_domains.txt") +
           "    - name: mailsift.stage.dns\n"
           "      config: {servers: ['" +
           dnsServer +
           "'], timeout_ms: 200, tries: 2, failure_ttl: 0}\n"
           "    - name: mailsift.stage.smtp\n"
           "      config:\n"
           "        port: " +
           std::to_string(smtpPort) +
           "\n"
           "        helo_name: probe.mailsift.test\n"
           "        connect_timeout_ms: 1000\n"
           "        banner_timeout_ms: 1000\n"
           "        command_timeout_ms: 1000\n"
           "        per_host_connections: 2\n"
           "        max_connections: 50\n"
           "        greylist_retry_ms: 400\n"
           "        greylist_max_retries: 2\n"
           "        backoff_initial_ms: 100\n"
           "        backoff_max_ms: 400\n"
           "        starttls: false\n";
}

FakeSmtpBehaviour named(const std::string& hostname) {
    FakeSmtpBehaviour b;
    b.hostname = hostname;
    b.knownLocal = {"alice", "bob", "carol", "info"};
    return b;
}

}  // namespace

ValidateRouteEnvironment::ValidateRouteEnvironment() {
    FakeSmtpBehaviour good = named("mx.good.test");
    good.rcptReplies = {
        {"disabled@good.test", "550 5.2.1 <disabled@good.test>: Account disabled"},
        {"full@good.test", "552 5.2.2 <full@good.test>: Mailbox full"},
        {"tempfail@good.test", "450 4.2.1 <tempfail@good.test>: Mailbox busy, try later"},
        {"refusedpolicy@good.test", "550 5.7.1 <refusedpolicy@good.test>: Rejected by policy"},
    };
    smtp_.addAddress(mx::kGood, good);
    FakeSmtpBehaviour catchAll = named("mx.catchall.test");
    catchAll.catchAll = true;
    smtp_.addAddress(mx::kCatchAll, catchAll);
    FakeSmtpBehaviour greyClears = named("mx.greyclears.test");
    greyClears.greylist = Ms(300);
    smtp_.addAddress(mx::kGreyClears, greyClears);
    FakeSmtpBehaviour greyStuck = named("mx.greystuck.test");
    greyStuck.greylist = Ms(3600 * 1000);
    smtp_.addAddress(mx::kGreyStuck, greyStuck);
    FakeSmtpBehaviour slow = named("mx.slow.test");
    slow.bannerDelay = Ms(5000);
    smtp_.addAddress(mx::kSlowBanner, slow);
    FakeSmtpBehaviour bannerBlock = named("mx.blockedbanner.test");
    bannerBlock.bannerReply = "554 5.7.1 Client host blocked";
    smtp_.addAddress(mx::kBannerBlock, bannerBlock);
    FakeSmtpBehaviour mailBlock = named("mx.blockedmail.test");
    mailBlock.mailReply = "550 5.7.1 Sender address rejected: Access denied";
    smtp_.addAddress(mx::kMailBlock, mailBlock);
    FakeSmtpBehaviour busy = named("mx.busy.test");
    busy.bannerReply = "421 4.7.0 Service not available, try again later";
    smtp_.addAddress(mx::kBusy, busy);
    FakeSmtpBehaviour drops = named("mx.drops.test");
    drops.dropAfterConnect = true;
    smtp_.addAddress(mx::kDrops, drops);
    FakeSmtpBehaviour closes = named("mx.closes.test");
    closes.closeAfterCommands = 3;  // EHLO, MAIL, then the first RCPT goes unanswered
    smtp_.addAddress(mx::kCloses, closes);
    FakeSmtpBehaviour rcpt421 = named("mx.rcpt421.test");
    rcpt421.rcptReplies = {{"alice@rcpt421.test", "421 4.7.0 Too many connections, closing"}};
    smtp_.addAddress(mx::kRcpt421, rcpt421);
    FakeSmtpBehaviour capped = named("mx.capped.test");
    for (int i = 1; i <= 100; ++i)
        capped.knownLocal.insert(localPart(i));
    capped.replyDelay = Ms(5);
    smtp_.addAddress(mx::kCapped, capped);
    smtp_.start();

    auto& zone = dns_.zone();
    const std::vector<std::pair<std::string, std::string>> mailDomains{
        {"good.test", mx::kGood},
        {"gmial.com", mx::kGood},       // a typo of gmail.com that does receive mail
        {"mailinator.com", mx::kGood},  // disposable
        {"catchall.test", mx::kCatchAll},
        {"greyclears.test", mx::kGreyClears},
        {"greystuck.test", mx::kGreyStuck},
        {"slow.test", mx::kSlowBanner},
        {"blockedbanner.test", mx::kBannerBlock},
        {"blockedmail.test", mx::kMailBlock},
        {"busy.test", mx::kBusy},
        {"noconnect.test", mx::kNothingListens},
        {"drops.test", mx::kDrops},
        {"closes.test", mx::kCloses},
        {"rcpt421.test", mx::kRcpt421},
    };
    for (const auto& [domain, ip] : mailDomains) {
        zone.mx(domain, 10, "mx." + domain);
        zone.a("mx." + domain, ip);
    }
    for (int i = 1; i <= 5; ++i) {  // five domains, five MX names, one address
        const std::string domain = "cap" + std::to_string(i) + ".test";
        zone.mx(domain, 10, "mx." + domain);
        zone.a("mx." + domain, mx::kCapped);
    }
    zone.mx("fallback.test", 10, "mx.noconnect.test");  // refused: the second MX answers
    zone.mx("fallback.test", 20, "mx.good.test");
    zone.nullMx("nullmx.test");
    zone.mx("hostless.test", 10, "mx.hostless.test");  // the MX host has no address
    zone.servfail("servfail.test");
    zone.drop("dnsdrop.test");
    dns_.start();

    fixture_ = std::make_unique<ServerFixture>(
        ServerSetup{.storeUrl = "", .extraYaml = stagesYaml(dns_.address(), smtp_.port())});
    server_ = fixture_->serve();
}

ValidateRouteEnvironment::~ValidateRouteEnvironment() {
    if (server_)
        server_->stop(SIGTERM);
    smtp_.stop();
    dns_.stop();
}

std::string ValidateRouteEnvironment::localPart(int i) {
    const std::string digits = std::to_string(i);
    return "p" + std::string(digits.size() < 3 ? 3 - digits.size() : 0, '0') + digits;
}

}  // namespace mailsift::testing
