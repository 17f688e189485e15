// bench_smtp_bulk — 10,000 addresses over 200 domains through the real stage plugins (loaded by
// the production PluginHost) and the engine's Pipeline/Validator, against fake DNS and SMTP
// servers on 127.1.0.1..200 that wait 20 ms before every reply. Prints wall time, sessions, RCPT
// commands, the most sessions open at once to one host, and the ratio to the lower bound that the
// delay model allows (derivation in bench/README.md).
//
//   bench_smtp_bulk [--max-connections N] [--delay-ms D]
#include <Poco/Logger.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "bench_world.h"
#include "engine/pipeline.h"
#include "engine/validator.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_host.h"

using namespace mailsift;

namespace {

constexpr int kDomains = 200;
constexpr int kRecipientsPerDomain = 50;
constexpr int kPerHostCap = 2;

struct Options {
    int maxConnections = 200;  // the shipped default of smtp.max_connections
    int delayMs = 20;
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "--max-connections") == 0 && hasValue) {
            options.maxConnections = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--delay-ms") == 0 && hasValue) {
            options.delayMs = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: bench_smtp_bulk [--max-connections N] [--delay-ms D]\n");
            std::exit(2);
        }
    }
    if (options.maxConnections < 1 || options.delayMs < 1) {
        std::fprintf(stderr, "bench_smtp_bulk: values must be positive\n");
        std::exit(2);
    }
    return options;
}

/// The lower bound of bench/README.md: each domain needs banner, EHLO, MAIL and its RCPTs (50
/// recipients + 1 catch-all probe) answered one after another within a session, its RCPTs split
/// over at most `perHost` sessions; and all sessions together need at least one session's worth
/// of replies per domain, spread over at most `global` sessions at once.
double lowerBoundMs(int delayMs, int perHost, int global) {
    const int rcpts = kRecipientsPerDomain + 1;
    const int perSessionFixed = 3;  // banner, EHLO, MAIL FROM
    const int longestSession = perSessionFixed + (rcpts + perHost - 1) / perHost;
    const double perDomain = static_cast<double>(longestSession) * delayMs;
    const double totalReplies = static_cast<double>(kDomains) * (perSessionFixed + rcpts);
    const double spread = totalReplies * delayMs / std::min(global, kDomains * perHost);
    return std::max(perDomain, spread);
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    Poco::Logger& log = Poco::Logger::get("bench");
    log.setLevel("warning");
    Poco::Logger::get("mailsift.engine").setLevel("warning");

    bench::BenchWorld world({.hosts = kDomains,
                             .rounds = 1,
                             .knownLocal = bench::BenchWorld::localParts(kRecipientsPerDomain),
                             .replyDelay = std::chrono::milliseconds(options.delayMs)});

    plugin_host::PluginHostApi hostApi(log, std::string(MAILSIFT_SOURCE_DIR) + "/config");
    config::PluginsConfig plugins;
    plugins.dir = MAILSIFT_PLUGIN_DIR;
    std::vector<std::string> names;
    for (auto& [name, json] : bench::stageConfigs({.dnsServer = world.dns().address(),
                              .smtpPort = world.smtp().port(),
                              .perHostConnections = kPerHostCap,
                              .maxConnections = options.maxConnections})) {
        plugins.stages.push_back(config::PluginEntry{name, json});
        names.push_back(name);
    }
    plugin_host::PluginHost host(hostApi, plugins);
    host.load();
    engine::Pipeline pipeline(host.stages(), names, hostApi, Poco::Logger::get("mailsift.engine"));
    engine::Validator validator(pipeline);

    // A list as a customer would upload it: the domains interleaved, not sorted.
    std::vector<std::string> emails;
    for (const std::string& local : bench::BenchWorld::localParts(kRecipientsPerDomain)) {
        for (int domain = 1; domain <= kDomains; ++domain)
            emails.push_back(local + "@" + bench::BenchWorld::domain(domain, 0));
    }

    world.smtp().clearRecords();
    const auto start = std::chrono::steady_clock::now();
    const auto outcome =
        validator.validate(emails, 1, start + std::chrono::minutes(10), /*cancel=*/nullptr);
    const double wallMs = bench::millisecondsSince(start);

    std::map<std::string, int> classifiers;
    for (const auto& result : outcome.results)
        ++classifiers[result.classifier];
    const int sessions = static_cast<int>(world.smtp().connections().size());
    const int rcpts = world.smtp().commandCount("RCPT");
    int mostPerDomain = 0;
    for (int domain = 1; domain <= kDomains; ++domain) {
        mostPerDomain = std::max(
            mostPerDomain,
            static_cast<int>(world.smtp().connections(bench::BenchWorld::hostIp(domain)).size()));
    }
    const double bound = lowerBoundMs(options.delayMs, kPerHostCap, options.maxConnections);
    const int allowedPerDomain = 2 + kRecipientsPerDomain / 100;

    std::printf(
        "bench_smtp_bulk: %zu addresses over %d domains, %d ms before every SMTP reply, "
        "per-host cap %d, global cap %d\n",
        emails.size(), kDomains, options.delayMs, kPerHostCap, options.maxConnections);
    std::printf("  wall time                 %.0f ms\n", wallMs);
    std::printf("  sessions opened           %d (at most %d per domain; target <= %d)\n", sessions,
                mostPerDomain, allowedPerDomain);
    std::printf("  RCPT commands sent        %d (%d recipients + %d catch-all probes)\n", rcpts,
                kDomains * kRecipientsPerDomain, kDomains);
    std::printf("  max concurrent per host   %d (cap %d)\n", world.maxConcurrentPerHost(),
                kPerHostCap);
    std::printf("  DATA commands             %d\n", world.smtp().dataCommands());
    std::printf("  lower bound               %.0f ms\n", bound);
    std::printf("  ratio to the bound        %.2f (target <= 3)\n", wallMs / bound);
    std::printf("  verdicts                 ");
    for (const auto& [classifier, count] : classifiers)
        std::printf(" %s=%d", classifier.c_str(), count);
    std::printf("\n");
    const bool ok = classifiers["valid"] == static_cast<int>(emails.size()) &&
                    world.maxConcurrentPerHost() <= kPerHostCap &&
                    mostPerDomain <= allowedPerDomain && world.smtp().dataCommands() == 0;
    if (!ok)
        std::printf("  FAILED: expected every address valid, the caps kept and no DATA\n");
    return ok ? 0 : 1;
}
