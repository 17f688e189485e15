#include "bench_world.h"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace mailsift::bench {
namespace {

std::string twoDigits(int n) {
    char text[16];
    std::snprintf(text, sizeof text, "%02d", n);
    return text;
}

std::string quoted(const std::string& text) {
    return "\"" + text + "\"";
}

}  // namespace

BenchWorld::BenchWorld(const BenchWorldOptions& options) : options_(options) {
    if (options.hosts < 1 || options.hosts > 254)
        throw std::runtime_error("a bench world has 1 to 254 hosts");
    for (int host = 1; host <= options.hosts; ++host) {
        fakes::FakeSmtpBehaviour behaviour;
        behaviour.hostname = "mx" + std::to_string(host) + ".bench.test";
        behaviour.knownLocal.insert(options.knownLocal.begin(), options.knownLocal.end());
        behaviour.replyDelay = options.replyDelay;
        behaviour.pipelining = true;
        behaviour.starttls = false;
        smtp_.addAddress(hostIp(host), behaviour);
        const std::string mx = "mx" + std::to_string(host) + ".bench.test";
        dns_.zone().a(mx, hostIp(host), 3600);
        for (int round = 0; round < options.rounds; ++round)
            dns_.zone().mx(domain(host, round), 10, mx, 3600);
    }
    smtp_.start();
    dns_.start();
}

BenchWorld::~BenchWorld() {
    smtp_.stop();
    dns_.stop();
}

std::string BenchWorld::hostIp(int host) {
    return "127.1.0." + std::to_string(host);
}

std::string BenchWorld::domain(int host, int round) {
    return "h" + std::to_string(host) + "r" + std::to_string(round) + ".bench.test";
}

std::vector<std::string> BenchWorld::localParts(int count) {
    std::vector<std::string> parts;
    for (int i = 1; i <= count; ++i)
        parts.push_back("m" + twoDigits(i));
    return parts;
}

int BenchWorld::maxConcurrentPerHost() const {
    int most = 0;
    for (int host = 1; host <= options_.hosts; ++host)
        most = std::max(most, smtp_.maxConcurrent(hostIp(host)));
    return most;
}

std::vector<std::pair<std::string, std::string>> stageConfigs(const StageSettings& s) {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    const auto file = [&lists](const char* key, const char* name) {
        return quoted(key) + ":" + quoted(lists + name);
    };
    return {
        {"mailsift.stage.syntax", R"({"allow_utf8_local":true})"},
        {"mailsift.stage.lists",
         "{" + file("role_file", "role_local_parts.txt") + "," +
             file("disposable_file", "disposable_domains.txt") + "," +
             file("disposable_wildcard_file", "disposable_wildcard_domains.txt") + "," +
             file("free_file", "free_domains.txt") + "}"},
        {"mailsift.stage.typo", "{" + file("providers_file", "well_known_providers.txt") + "," +
                                    file("free_file", "free_domains.txt") + "," +
                                    file("disposable_file", "disposable_domains.txt") + "}"},
        {"mailsift.stage.dns", "{\"servers\":[" + quoted(s.dnsServer) +
                                   "],\"timeout_ms\":2000,\"tries\":2,\"cache_entries\":" +
                                   (s.dnsCache ? "100000" : "0") + "}"},
        {"mailsift.stage.smtp",
         "{\"port\":" + std::to_string(s.smtpPort) +
             ",\"helo_name\":\"probe.mailsift.test\",\"per_host_connections\":" +
             std::to_string(s.perHostConnections) +
             ",\"max_connections\":" + std::to_string(s.maxConnections) +
             ",\"starttls\":false,\"catch_all_probe\":" + (s.catchAllProbe ? "true" : "false") +
             "}"},
    };
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

}  // namespace mailsift::bench
