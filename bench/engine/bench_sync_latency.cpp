// bench_sync_latency — latency of POST /v1/email/validate on the REAL mailsift-server binary
// (started as a child process with the five stage plugins) against fake DNS and SMTP servers on
// 127.1.0.1..100 that wait 20 ms before every reply. 50 sequential requests of 100 addresses over
// 100 domains each, twice:
//   cold  every request asks about 100 domains never seen before (the DNS and catch-all caches
//         cannot help: what a client checking new addresses meets);
//   warm  every request asks about the same 100 domains, after one warm-up request (MX and
//         catch-all answers come from the caches: what repeated checks of known domains cost).
// Prints p50, p99 and max in ms and in reply delays. p99 of 50 samples is the nearest-rank 50th,
// that is the slowest.
//
//   bench_sync_latency [--requests N] [--delay-ms D]
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_world.h"
#include "integration/server_fixture.h"

using namespace mailsift;

namespace {

constexpr int kDomains = 100;

struct Options {
    int requests = 50;
    int delayMs = 20;
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const bool hasValue = i + 1 < argc;
        if (std::strcmp(argv[i], "--requests") == 0 && hasValue) {
            options.requests = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--delay-ms") == 0 && hasValue) {
            options.delayMs = std::atoi(argv[++i]);
        } else {
            std::fprintf(stderr, "usage: bench_sync_latency [--requests N] [--delay-ms D]\n");
            std::exit(2);
        }
    }
    if (options.requests < 1 || options.delayMs < 1) {
        std::fprintf(stderr, "bench_sync_latency: values must be positive\n");
        std::exit(2);
    }
    return options;
}

/// The plugins block (five stages against the fakes, shipped defaults otherwise) and quiet logs.
std::string yamlFor(bench::BenchWorld& world) {
    std::string yaml = "plugins:\n  stages:\n";
    for (const auto& [name, json] :
         bench::stageConfigs({.dnsServer = world.dns().address(), .smtpPort = world.smtp().port()}))
        yaml += "    - name: " + name + "\n      config: " + json + "\n";
    return yaml + "logging:\n  level: notice\n";
}

/// The body of a request for one address at each of the 100 domains of `round`.
std::string requestBody(int round) {
    std::string body = R"({"emails":[)";
    for (int host = 1; host <= kDomains; ++host)
        body += (host > 1 ? "," : "") + std::string("\"m01@") +
                bench::BenchWorld::domain(host, round) + "\"";
    return body + "]}";
}

/// Sends one request; returns its latency in ms, or a negative value when the answer is wrong.
double timedRequest(const testing::HttpClient& client, const std::string& key, int round) {
    const std::string body = requestBody(round);
    const auto start = std::chrono::steady_clock::now();
    const testing::HttpResponse response = client.request("POST", "/v1/email/validate", key, body);
    const double ms = bench::millisecondsSince(start);
    if (response.status != 200) {
        std::fprintf(stderr, "status %d: %s\n", response.status, response.body.c_str());
        return -1;
    }
    const auto parsed = Poco::JSON::Parser().parse(response.body);
    const auto results = parsed.extract<Poco::JSON::Object::Ptr>()->getArray("results");
    int valid = 0;
    for (std::size_t i = 0; i < results->size(); ++i) {
        const auto result = results->getObject(static_cast<unsigned>(i))->getObject("result");
        valid += result->getValue<std::string>("classifier") == "valid" ? 1 : 0;
    }
    if (valid != kDomains) {
        std::fprintf(stderr, "only %d of %d addresses valid: %.300s\n", valid, kDomains,
                     response.body.c_str());
        return -1;
    }
    return ms;
}

/// Nearest-rank percentile of sorted samples.
double percentile(const std::vector<double>& sorted, double p) {
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void report(const char* label, std::vector<double> samples, int delayMs) {
    std::sort(samples.begin(), samples.end());
    const double p50 = percentile(samples, 0.50);
    const double p99 = percentile(samples, 0.99);
    const double max = samples.back();
    std::printf(
        "  %-5s p50 %6.1f ms = %5.2f delays   p99 %6.1f ms = %5.2f delays   "
        "max %6.1f ms = %5.2f delays   (target p50 < 15 delays)\n",
        label, p50, p50 / delayMs, p99, p99 / delayMs, max, max / delayMs);
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);
    // Rounds 0..requests-1 are the cold domains; round `requests` is the warm set.
    bench::BenchWorld world({.hosts = kDomains,
                             .rounds = options.requests + 1,
                             .knownLocal = {"m01"},
                             .replyDelay = std::chrono::milliseconds(options.delayMs)});
    testing::ServerFixture fixture({.storeUrl = "", .extraYaml = yamlFor(world)});
    auto server = fixture.serve();
    const std::string key = fixture.bootstrapKey();
    if (key.empty()) {
        std::fprintf(stderr, "bench_sync_latency: the server printed no API key\n%s",
                     server->err().c_str());
        return 1;
    }
    const testing::HttpClient client = fixture.client(*server);

    bool ok = true;
    std::vector<double> cold;
    for (int round = 0; round < options.requests && ok; ++round) {
        const double ms = timedRequest(client, key, round);
        ok = ms >= 0;
        cold.push_back(ms);
    }
    std::vector<double> warm;
    ok = ok && timedRequest(client, key, options.requests) >= 0;  // fills the caches
    for (int i = 0; i < options.requests && ok; ++i) {
        const double ms = timedRequest(client, key, options.requests);
        ok = ms >= 0;
        warm.push_back(ms);
    }
    server->stop(SIGTERM);
    if (!ok) {
        std::fprintf(stderr, "bench_sync_latency: a request failed\n%s", server->err().c_str());
        return 1;
    }
    std::printf(
        "bench_sync_latency: %d sequential requests of %d addresses over %d domains, "
        "%d ms before every SMTP reply, real server\n",
        options.requests, kDomains, kDomains, options.delayMs);
    report("cold", cold, options.delayMs);
    report("warm", warm, options.delayMs);
    std::printf("  sessions opened %zu, max concurrent per host %d, DATA commands %d\n",
                world.smtp().connections().size(), world.maxConcurrentPerHost(),
                world.smtp().dataCommands());
    return 0;
}
