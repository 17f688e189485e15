// bench_job_e2e: one validation job end to end on the real mailsift-server binary (a child
// process, SQLite in a temp folder, the five stage plugins) against the engine benchmarks' world
// (bench/engine/bench_world.h): a fake DNS server and fake mail servers on 127.1.0.1..200, one
// domain per host, PIPELINING, no STARTTLS, 20 ms before every SMTP reply.
//
// A CSV of N rows (default 100,000: 500 addresses at each of the 200 domains, every one known to
// the fakes, so every row must come back valid) is uploaded with one streaming multipart POST; the
// figure is the time from the first byte of that request until GET .../job/{id} says `done`.
// Rows are interleaved by domain (row i is local part i / 200 at domain i % 200), so each chunk of
// 1,000 rows holds 5 addresses of every domain: a list as customers upload it, and the case where
// chunking costs most (every chunk opens a session to every host).
//
// Prints wall time, addresses per second, sessions and RCPTs (from the fake's records), the most
// sessions open at once to one host (must be <= 2), and the ratio to two lower bounds of the
// delay model (bench/README.md): the engine benchmark's formula for the whole job as one batch,
// and the same model with the job cut into chunks (each chunk a batch with its own sessions).
// Exits non-zero unless every row is valid, the job's counters and the server's validated-rows
// counter equal N, the per-host cap held and no DATA was sent.
//
// Loopback only. Usage: bench_job_e2e [--rows N] [--workers W] [--chunk-size C]
//                                     [--max-connections M] [--delay-ms D]
// MAILSIFT_BENCH_SERVER=/path/to/mailsift-server measures another build of the server.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_world.h"
#include "job_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

using namespace mailsift;
using namespace mailsift::testing;
using mailsift::bench::get;
using mailsift::bench::jobJson;
using mailsift::bench::serverBinary;
using mailsift::bench::upload;

namespace {

using Clock = std::chrono::steady_clock;
const std::string& kJobs = mailsift::bench::kJobsPath;
constexpr int kDomains = 200;   // one per fake host, 127.1.0.1 ... 127.1.0.200
constexpr int kPerHostCap = 2;  // per_host_connections, the shipped default

struct Options {
    std::int64_t rows = 100'000;
    int workers = 4;           // jobs.workers, the shipped default
    int chunkSize = 1000;      // jobs.chunk_size, the shipped default
    int maxConnections = 200;  // smtp max_connections, the shipped default
    int delayMs = 20;
};

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

/// User + system CPU seconds of process `pid` so far (/proc/PID/stat), -1 when unreadable.
double processCpuSeconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto afterName = stat.rfind(')');
    if (afterName == std::string::npos) {
        return -1;
    }
    std::istringstream fields(stat.substr(afterName + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {  // utime and stime are fields 14 and 15
        if (i >= 14) {
            ticks += std::strtod(field.c_str(), nullptr);
        }
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// User + system CPU seconds of this process: the fake DNS and SMTP servers, and the client.
double ownCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto seconds = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// The address of row `i`: domains interleaved, so consecutive rows go to different hosts.
std::string addressOf(std::int64_t i) {
    const int domain = static_cast<int>(i % kDomains) + 1;
    const int local = static_cast<int>(i / kDomains) + 1;
    char text[16];
    std::snprintf(text, sizeof text, "m%02d", local);
    return std::string(text) + "@" + bench::BenchWorld::domain(domain, 0);
}

void writeCsv(const std::string& path, std::int64_t rows) {
    std::ofstream out(path, std::ios::binary);
    out << "email\n";
    for (std::int64_t i = 0; i < rows; ++i) {
        out << addressOf(i) << '\n';
    }
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

/// The server config: SQLite, the jobs settings under test, the five stages against the fakes
/// (shipped defaults otherwise: bench::stageConfigs), the file connector, quiet logs.
std::string configYaml(const std::string& storeUrl, const Options& o, bench::BenchWorld& world) {
    std::string yaml =
        "http:\n  address: 127.0.0.1\n  port: 0\n  threads: 4\n"
        "  rate_limit: {requests_per_second: 0}\n"
        "store:\n  url: '" +
        storeUrl +
        "'\n"
        "jobs:\n  workers: " +
        std::to_string(o.workers) + "\n  chunk_size: " + std::to_string(o.chunkSize) +
        "\n"
        "plugins:\n  stages:\n";
    for (const auto& [name, json] : bench::stageConfigs({.dnsServer = world.dns().address(),
                                    .smtpPort = world.smtp().port(),
                                    .perHostConnections = kPerHostCap,
                                    .maxConnections = o.maxConnections})) {
        yaml += "    - name: " + name + "\n      config: " + json + "\n";
    }
    return yaml +
           "  connectors:\n"
           "    - {name: mailsift.connector.file, config: {}}\n"
           "logging:\n  level: notice\n";
}

/// The download's rows (header excluded) and how many of them have classifier `valid`. A small
/// RFC 4180 reader: quoted fields may hold commas, quotes and line breaks.
std::pair<std::int64_t, std::int64_t> countValid(const std::string& csv) {
    constexpr int kClassifierColumn = 5;  // email, syntax, mx, mailbox, score, classifier, ...
    std::int64_t records = 0;
    std::int64_t valid = 0;
    int column = 0;
    std::string field;
    bool quoted = false;
    const auto endField = [&] {
        if (column == kClassifierColumn && records > 0 && field == "valid") {
            ++valid;
        }
        field.clear();
        ++column;
    };
    for (std::size_t i = 0; i < csv.size(); ++i) {
        const char c = csv[i];
        if (quoted) {
            if (c == '"' && i + 1 < csv.size() && csv[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            endField();
        } else if (c == '\n') {
            endField();
            ++records;
            column = 0;
        } else if (c != '\r') {
            field += c;
        }
    }
    return {records - 1, valid};
}

/// The value of an unlabelled counter in Prometheus text, or -1 when it is not there.
double metricValue(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(name + " ", 0) == 0) {
            return std::strtod(line.c_str() + name.size() + 1, nullptr);
        }
    }
    return -1;
}

/// The lower bounds of the delay model (bench/README.md) in ms, from the rows as uploaded.
struct Bounds {
    double perDomain = 0;  ///< the longest chain of replies one domain needs
    double spread = 0;     ///< all replies over the sessions that may run at once
    double bound() const { return std::max(perDomain, spread); }
};

/// The engine benchmark's formula, the job as one batch: per domain, banner + EHLO + MAIL and
/// ceil((R_d + 1) / 2) RCPTs in the longer of its 2 sessions; over all domains, sum(3 + R_d + 1)
/// replies spread over min(max_connections, hosts * 2) sessions at once.
Bounds oneBatchBound(const Options& o) {
    Bounds b;
    const std::int64_t perDomain = o.rows / kDomains;
    const std::int64_t rcpts = perDomain + 1;  // + the catch-all probe
    b.perDomain = static_cast<double>(3 + (rcpts + kPerHostCap - 1) / kPerHostCap) * o.delayMs;
    const double replies = static_cast<double>(kDomains) * static_cast<double>(3 + rcpts);
    b.spread = replies * o.delayMs / std::min(o.maxConnections, kDomains * kPerHostCap);
    return b;
}

/// The same model when the job is cut into chunks of `chunkSize` rows, each a batch of its own:
/// every chunk that holds domain d needs at least one session of its own to d's host (banner,
/// EHLO, MAIL), and the domain needs at least one catch-all probe in all. With C_d the chunks
/// holding d: per host, 3 C_d + R_d + 1 replies shared by at most 2 sessions at once; over all,
/// sum_d (3 C_d + R_d + 1) replies spread over the global cap. (Valid while a chunk holds at most
/// max_rcpt_per_transaction - 1 addresses of one domain, so no RSET is needed: 5 here.)
Bounds chunkedBound(const Options& o) {
    std::map<int, std::int64_t> chunksOf;  // domain -> C_d
    std::map<int, std::int64_t> rowsOf;    // domain -> R_d
    for (std::int64_t first = 0; first < o.rows; first += o.chunkSize) {
        std::map<int, bool> seen;
        for (std::int64_t i = first; i < std::min(o.rows, first + o.chunkSize); ++i) {
            const int domain = static_cast<int>(i % kDomains);
            ++rowsOf[domain];
            if (!seen[domain]) {
                seen[domain] = true;
                ++chunksOf[domain];
            }
        }
    }
    Bounds b;
    double replies = 0;
    for (const auto& [domain, rows] : rowsOf) {
        const std::int64_t atHost = 3 * chunksOf[domain] + rows + 1;
        b.perDomain = std::max(
            b.perDomain, static_cast<double>((atHost + kPerHostCap - 1) / kPerHostCap) * o.delayMs);
        replies += static_cast<double>(atHost);
    }
    b.spread = replies * o.delayMs / std::min(o.maxConnections, kDomains * kPerHostCap);
    return b;
}

Options parseArgs(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(arg + " needs a value");
            }
            return argv[++i];
        };
        if (arg == "--rows") {
            o.rows = std::stoll(value());
        } else if (arg == "--workers") {
            o.workers = std::stoi(value());
        } else if (arg == "--chunk-size") {
            o.chunkSize = std::stoi(value());
        } else if (arg == "--max-connections") {
            o.maxConnections = std::stoi(value());
        } else if (arg == "--delay-ms") {
            o.delayMs = std::stoi(value());
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (o.rows < kDomains || o.rows % kDomains != 0 || o.rows / kDomains > 9999) {
        throw std::invalid_argument("--rows must be a multiple of 200, at most 1,999,800");
    }
    if (o.workers < 1 || o.chunkSize < 1 || o.maxConnections < 1 || o.delayMs < 1) {
        throw std::invalid_argument(
            "--workers, --chunk-size, --max-connections and --delay-ms "
            "must be positive");
    }
    return o;
}

int run(const Options& o) {
    const int perDomain = static_cast<int>(o.rows / kDomains);
    bench::BenchWorld world({.hosts = kDomains,
                             .rounds = 1,
                             .knownLocal = bench::BenchWorld::localParts(perDomain),
                             .replyDelay = std::chrono::milliseconds(o.delayMs)});
    TempDir dir;
    const std::string config =
        dir.write("mailsift.yaml", configYaml("sqlite://" + dir.file("mailsift.db"), o, world));
    const std::string csv = dir.file("rows.csv");
    writeCsv(csv, o.rows);

    const CommandResult keys =
        runCommand(serverBinary(), {"keys", "create", "--account", "bench", "--config", config});
    const auto keyAt = keys.out.find("msk_");
    if (keys.exitCode != 0 || keyAt == std::string::npos) {
        throw std::runtime_error("keys create failed: " + keys.out + keys.err);
    }
    std::string key = keys.out.substr(keyAt);
    key = key.substr(0, key.find_first_of(" \t\r\n"));

    std::printf(
        "bench_job_e2e: %lld rows (%d addresses at each of %d domains, interleaved), "
        "%d ms before every SMTP reply, jobs.workers %d, chunk_size %d, max_connections %d, "
        "per-host cap %d, SQLite; load average %s\n",
        static_cast<long long>(o.rows), perDomain, kDomains, o.delayMs, o.workers, o.chunkSize,
        o.maxConnections, kPerHostCap, loadAverage().c_str());
    std::fflush(stdout);

    ServerProcess server(serverBinary(), {"serve", "--config", config});
    server.start();
    world.smtp().clearRecords();

    const double serverCpuBefore = processCpuSeconds(server.pid());
    const double ownCpuBefore = ownCpuSeconds();
    const auto start = Clock::now();
    const std::int64_t jobId = upload(server.port(), key, csv, "e2e");
    const double ingestSeconds = secondsSince(start);
    Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
    session.setKeepAlive(true);
    Poco::JSON::Object::Ptr job;
    for (;;) {
        job = jobJson(session, key, jobId);
        const std::string state = job->getValue<std::string>("state");
        if (state == "done") {
            break;
        }
        if (state == "failed") {
            throw std::runtime_error("the job failed: " + job->getValue<std::string>("error") +
                                     "\n" + server.err());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const double wallSeconds = secondsSince(start);
    const double serverCpu = processCpuSeconds(server.pid()) - serverCpuBefore;
    const double ownCpu = ownCpuSeconds() - ownCpuBefore;
    const std::string loadAfter = loadAverage();

    // What the fakes saw (the job is done: every session has ended).
    world.smtp().waitIdle(std::chrono::seconds(5));
    const std::vector<fakes::FakeSmtpConnection> connections = world.smtp().connections();
    const auto sessions = static_cast<std::int64_t>(connections.size());
    const std::int64_t rcpts = world.smtp().commandCount("RCPT");
    const std::int64_t rsets = world.smtp().commandCount("RSET");
    double sessionSeconds = 0;
    for (const auto& connection : connections) {
        if (connection.ended) {
            sessionSeconds +=
                std::chrono::duration<double>(connection.end - connection.start).count();
        }
    }
    std::size_t mostSessionsPerHost = 0;
    for (int host = 1; host <= kDomains; ++host) {
        mostSessionsPerHost = std::max(
            mostSessionsPerHost, world.smtp().connections(bench::BenchWorld::hostIp(host)).size());
    }

    // What the server says: the job's counters, every row of the download, the metrics.
    const auto summary = job->getObject("summary");
    const auto total = summary->getValue<std::int64_t>("totalEmails");
    const auto deliverable = summary->getValue<std::int64_t>("deliverableCount");
    const auto undeliverable = summary->getValue<std::int64_t>("undeliverableCount");
    const auto risky = summary->getValue<std::int64_t>("riskyCount");
    const auto [downloaded, valid] =
        countValid(get(session, kJobs + "/" + std::to_string(jobId) + "/download", key));
    const double validated =
        metricValue(get(session, "/metrics", ""), "mailsift_scheduler_rows_validated_total");
    server.stop(SIGTERM);

    const double wallMs = wallSeconds * 1000.0;
    const Bounds whole = oneBatchBound(o);
    const Bounds chunked = chunkedBound(o);
    std::printf("  upload, request -> 201    %8.2f s\n", ingestSeconds);
    std::printf("  wall time, request -> done %7.2f s   %8.0f addresses/s\n", wallSeconds,
                static_cast<double>(o.rows) / wallSeconds);
    std::printf("  sessions opened           %8lld   (at most %zu to one host; %lld chunks)\n",
                static_cast<long long>(sessions), mostSessionsPerHost,
                static_cast<long long>((o.rows + o.chunkSize - 1) / o.chunkSize));
    std::printf("  RCPT commands sent        %8lld   (%lld recipients + %lld catch-all probes)\n",
                static_cast<long long>(rcpts), static_cast<long long>(o.rows),
                static_cast<long long>(rcpts - o.rows));
    std::printf("  RSET %lld, DATA %d\n", static_cast<long long>(rsets),
                world.smtp().dataCommands());
    std::printf("  max concurrent per host   %8d   (cap %d)\n", world.maxConcurrentPerHost(),
                kPerHostCap);
    std::printf(
        "  mean sessions open        %8.1f   (session-seconds / wall time; global cap %d)\n",
        sessionSeconds / wallSeconds, o.maxConnections);
    std::printf(
        "  lower bound, one batch    %8.0f ms (per domain %.0f ms, all domains / cap %.0f ms)"
        "   ratio %.2f\n",
        whole.bound(), whole.perDomain, whole.spread, wallMs / whole.bound());
    std::printf(
        "  lower bound, chunked      %8.0f ms (per host %.0f ms, all domains / cap %.0f ms)"
        "   ratio %.2f\n",
        chunked.bound(), chunked.perDomain, chunked.spread, wallMs / chunked.bound());
    std::printf(
        "  job counters              total %lld, deliverable %lld, undeliverable %lld, risky "
        "%lld\n",
        static_cast<long long>(total), static_cast<long long>(deliverable),
        static_cast<long long>(undeliverable), static_cast<long long>(risky));
    std::printf("  download                  %lld rows, %lld valid; rows validated (metric) %.0f\n",
                static_cast<long long>(downloaded), static_cast<long long>(valid), validated);
    std::printf(
        "  CPU during the job        server %.1f s, fakes + client %.1f s (%.2f of %u cores' "
        "time)\n",
        serverCpu, ownCpu, (serverCpu + ownCpu) / wallSeconds / std::thread::hardware_concurrency(),
        std::thread::hardware_concurrency());
    std::printf("  load average after        %s\n", loadAfter.c_str());

    const bool ok = total == o.rows && deliverable == o.rows && downloaded == o.rows &&
                    valid == o.rows && validated == static_cast<double>(o.rows) &&
                    world.maxConcurrentPerHost() <= kPerHostCap && world.smtp().dataCommands() == 0;
    if (!ok) {
        std::printf(
            "  FAILED: expected every row valid, the counters equal to the rows, the per-host cap "
            "kept and no DATA\n");
    }
    return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "bench_job_e2e: " << e.what() << "\n";
        return 1;
    }
}
