#include "dns/dns_stage.h"

#include <arpa/inet.h>

#include <map>
#include <string>
#include <vector>

namespace mailsift::stages::dns {
namespace {

constexpr std::string_view kName = "mailsift.stage.dns";

/// "[192.0.2.1]" -> "192.0.2.1", "[IPv6:2001:db8::1]" -> "2001:db8::1"; "" when it is no literal.
std::string literalAddress(const std::string& domain) {
    if (domain.size() < 3 || domain.front() != '[' || domain.back() != ']')
        return {};
    std::string inner = domain.substr(1, domain.size() - 2);
    unsigned char buffer[16];
    if (inner.size() > 5 &&
        (inner.compare(0, 5, "IPv6:") == 0 || inner.compare(0, 5, "ipv6:") == 0)) {
        inner.erase(0, 5);
        return inet_pton(AF_INET6, inner.c_str(), buffer) == 1 ? inner : std::string();
    }
    return inet_pton(AF_INET, inner.c_str(), buffer) == 1 ? inner : std::string();
}

void apply(Item& item, const DomainAnswer& answer) {
    switch (answer.outcome) {
        case DnsOutcome::mxFound:
            item.evidence.mailServers = answer.servers;
            item.evidence.mxHost = answer.servers.empty() ? std::string() : answer.servers[0].host;
            item.evidence.add(Fact::mxFound);
            return;
        case DnsOutcome::domainNotFound:
            item.evidence.add(Fact::domainNotFound);
            break;
        case DnsOutcome::noUsableMx:
            item.evidence.add(Fact::noUsableMx);
            break;
        case DnsOutcome::unresolved:
            item.evidence.add(Fact::dnsUnresolved);
            break;
    }
    item.settled = true;
}

}  // namespace

DnsStage::DnsStage(HostApi& host, std::string_view configJson)
    : DnsStage(host, DnsConfig::parse(configJson)) {}

DnsStage::DnsStage(HostApi& host, DnsConfig config)
    : host_(host), resolver_(config), cache_(config.cacheEntries) {
    const std::string servers = config.servers.empty()
                                    ? std::string("the system resolver")
                                    : std::to_string(config.servers.size()) + " server(s)";
    host_.log(HostApi::LogLevel::info, kName,
              "asking " + servers + ", timeout " + std::to_string(config.timeout.count()) +
                  " ms x " + std::to_string(config.tries) + ", cache " +
                  std::to_string(config.cacheEntries) + " domains");
}

void DnsStage::run(Batch& batch, StageContext& context) {
    std::map<std::string, std::vector<Item*>> byDomain;
    for (Item& item : batch.items) {
        if (item.settled || item.address.domain.empty())
            continue;
        if (item.address.ipLiteral) {
            const std::string address = literalAddress(item.address.domain);
            if (address.empty()) {
                apply(item, DomainAnswer{DnsOutcome::noUsableMx, {}, {}});
                continue;
            }
            apply(item,
                  DomainAnswer{
                      DnsOutcome::mxFound, {MailServer{item.address.domain, 0, {address}}}, {}});
            continue;
        }
        std::string domain = item.address.domain;
        for (char& c : domain) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        while (!domain.empty() && domain.back() == '.')
            domain.pop_back();
        byDomain[domain].push_back(&item);
    }
    if (byDomain.empty())
        return;

    const DnsCache::TimePoint now = context.host.now();
    std::vector<std::string> misses;
    for (auto& [domain, items] : byDomain) {
        if (const std::optional<DomainAnswer> cached = cache_.get(domain, now)) {
            for (Item* item : items)
                apply(*item, *cached);
        } else {
            misses.push_back(domain);
        }
    }
    if (misses.empty() || batch.shouldStop()) {
        for (const std::string& domain : misses) {
            for (Item* item : byDomain[domain])
                apply(*item, DomainAnswer{});
        }
        return;
    }

    const auto answers = resolver_.resolve(misses, batch.deadline, batch.cancelFlag);
    const DnsCache::TimePoint after = context.host.now();
    for (const std::string& domain : misses) {
        const auto found = answers.find(domain);
        const DomainAnswer answer = found == answers.end() ? DomainAnswer{} : found->second;
        cache_.put(domain, answer, after);
        for (Item* item : byDomain[domain])
            apply(*item, answer);
    }
}

}  // namespace mailsift::stages::dns
