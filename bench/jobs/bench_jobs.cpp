// bench_jobs: validation jobs through the real mailsift-server binary (a child process), on
// SQLite (a temp folder) or on MariaDB (a private server started with tests/support/mariadb.sh on
// its own port, a fresh mailsift_bench database, stopped at the end). Three server runs on one
// database, each measured on its own:
//   1. ingest  (jobs.workers 0): a deterministic CSV of N rows uploaded with one streaming
//      multipart POST; seconds from the first byte of the request to the 201, rows per second.
//   2. verify  (jobs.workers 2, stages syntax + lists): time until the job is done.
//   With --settle on MariaDB, the bench then waits until InnoDB has written the job's pages back
//   to disk (at most 120 s); without it the reads start at once, while InnoDB flushes.
//   3. read    (jobs.workers 0, so nothing changes under the reader): 200 GET result?pos=K at
//      K = 0, N/2 and N-1000 on one keep-alive connection (p50, p99), then the CSV download
//      streamed and counted (rows per second).
// After each run the server's peak RSS (VmHWM of /proc/PID/status) is printed.
// Loopback only. Usage: bench_jobs [--store sqlite|mysql] [--rows N] [--requests R]
//                                  [--mysql-port P] [--workers W] [--settle]
//                                  [--ingest-writers N]   (jobs.ingest_writers; default: shipped)
// MAILSIFT_BENCH_SERVER=/path/to/mailsift-server measures another build of the server.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "job_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

using namespace mailsift::testing;
using mailsift::bench::get;
using mailsift::bench::jobJson;
using mailsift::bench::serverBinary;
using mailsift::bench::upload;

namespace {

using Clock = std::chrono::steady_clock;
const std::string& kJobs = mailsift::bench::kJobsPath;

struct Options {
    std::string store = "sqlite";
    std::int64_t rows = 1'000'000;
    int requests = 200;
    int mysqlPort = 33101;
    int workers = 2;
    bool settle = false;
    int ingestWriters = 0;  ///< 0: the server's default
};

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

/// VmHWM (peak resident set) of `pid` in MB, or -1 when it cannot be read.
double peakRssMb(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmHWM:", 0) == 0) {
            return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
        }
    }
    return -1;
}

/// CPU time (user + system) `pid` has used so far, in seconds; 0 when it cannot be read. Unlike
/// wall time, it does not grow when other processes share the cores.
double cpuSeconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');  // the command name may hold spaces and parentheses
    if (pid <= 0 || close == std::string::npos) {
        return 0;
    }
    std::istringstream fields(stat.substr(close + 2));
    std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
    if (f.size() < 13) {
        return 0;
    }
    // After the name: state is field 3 of proc(5), utime 14 and stime 15.
    const double ticks = std::stod(f[11]) + std::stod(f[12]);
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// Time the hypervisor gave this machine's virtual cores to others (the "steal" column of
/// /proc/stat), in seconds summed over the cores; 0 on bare metal.
double stolenSeconds() {
    std::ifstream in("/proc/stat");
    std::string cpu;
    double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    in >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return steal / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// `value` with one decimal.
std::string fixed(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

/// The CPU time the server, the database (when there is one) and this process (the client) use
/// between its construction and print(): where the wall time of a phase goes on a small machine.
class CpuMeter {
  public:
    CpuMeter(int serverPid, int dbPid)
        : serverPid_(serverPid),
          dbPid_(dbPid),
          server0_(cpuSeconds(serverPid)),
          db0_(dbPid > 0 ? cpuSeconds(dbPid) : 0.0),
          client0_(cpuSeconds(getpid())),
          stolen0_(stolenSeconds()) {}

    void print(const char* phase, double wallSeconds, double units, const char* unit) const {
        const double server = cpuSeconds(serverPid_) - server0_;
        const double db = dbPid_ > 0 ? cpuSeconds(dbPid_) - db0_ : 0.0;
        const double client = cpuSeconds(getpid()) - client0_;
        const double stolen = stolenSeconds() - stolen0_;
        const double perUnit = 1e6 / std::max(units, 1.0);
        // SQLite runs inside the server, so there is a database column only for MariaDB.
        const std::string database =
            dbPid_ > 0 ? ", database " + fixed(db * perUnit) + " us" : std::string();
        std::printf(
            "  %-8s   CPU a %s: server %.1f us%s, client %.1f us; wall %.1f us; stolen by the "
            "host %.0f%%\n",
            phase, unit, server * perUnit, database.c_str(), client * perUnit,
            wallSeconds * perUnit,
            100.0 * stolen /
                std::max(wallSeconds * static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)), 1e-9));
    }

  private:
    int serverPid_;
    int dbPid_;
    double server0_;
    double db0_;
    double client0_;
    double stolen0_;
};

/// The plugins block: syntax and lists (no network), the file connector.
std::string configYaml(const std::string& storeUrl, int workers, int ingestWriters) {
    const std::string lists = std::string(MAILSIFT_SOURCE_DIR) + "/config/lists/";
    return "http:\n  address: 127.0.0.1\n  port: 0\n  threads: 4\n"
           "  rate_limit: {requests_per_second: 0}\n"  // one key makes all the requests
           "store:\n  url: '" +
           storeUrl +
           "'\n"
           "jobs:\n  workers: " +
           std::to_string(workers) + "\n  poll_ms: 20\n" +
           (ingestWriters > 0 ? "  ingest_writers: " + std::to_string(ingestWriters) + "\n"
                              : std::string()) +
           "plugins:\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "    - name: mailsift.stage.lists\n"
           "      config:\n"
           "        role_file: '" +
           lists + "role_local_parts.txt'\n        disposable_file: '" + lists +
           "disposable_domains.txt'\n        disposable_wildcard_file: '" + lists +
           "disposable_wildcard_domains.txt'\n        free_file: '" + lists +
           "free_domains.txt'\n"
           "  connectors:\n"
           "    - {name: mailsift.connector.file, config: {}}\n";
}

/// Writes the CSV: a header and `rows` addresses, the same every run (every 20th row repeats
/// an earlier address, so the dedupe path is exercised too).
void writeCsv(const std::string& path, std::int64_t rows) {
    std::ofstream out(path, std::ios::binary);
    std::string buffer = "email\n";
    buffer.reserve(1 << 20);
    for (std::int64_t i = 0; i < rows; ++i) {
        const std::int64_t n = i % 20 == 19 ? i / 2 : i;
        buffer += "user.";
        buffer += std::to_string(n);
        buffer += "@domain";
        buffer += std::to_string(n % 5000);
        buffer += ".example.com\n";
        if (buffer.size() > (1 << 20) - 64) {
            out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            buffer.clear();
        }
    }
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

std::unique_ptr<ServerProcess> serve(const std::string& config) {
    auto server = std::make_unique<ServerProcess>(
        serverBinary(), std::vector<std::string>{"serve", "--config", config});
    server->start();
    return server;
}

/// Nearest-rank percentile of sorted milliseconds.
double percentile(const std::vector<double>& sorted, double p) {
    const auto rank = static_cast<std::size_t>(
        std::max(1.0, std::ceil(p / 100.0 * static_cast<double>(sorted.size()))));
    return sorted[std::min(rank, sorted.size()) - 1];
}

int runShell(const std::string& script, const std::vector<std::string>& args) {
    const CommandResult r = runCommand("/bin/bash", [&] {
        std::vector<std::string> all{script};
        all.insert(all.end(), args.begin(), args.end());
        return all;
    }());
    if (r.exitCode != 0) {
        std::cerr << r.out << r.err;
    }
    return r.exitCode;
}

/// A private MariaDB for the run: started in `dir` on `port`, stopped when this goes away.
class PrivateMariaDb {
  public:
    PrivateMariaDb(std::string dir, int port) : dir_(std::move(dir)), port_(port) {
        // Room for the whole million-row job in memory, as a production server would give it
        // (MAILSIFT_MARIADB_BUFFER_POOL set by the caller wins, e.g. 128M as in the tests), a
        // redo log sized for that pool, and flushing set for an SSD rather than the defaults
        // meant for a spinning disk, so that the job's dirty pages are written back in seconds
        // (MAILSIFT_MARIADB_OPTIONS set by the caller wins; "" for MariaDB's defaults).
        ::setenv("MAILSIFT_MARIADB_BUFFER_POOL", "1G", 0);
        ::setenv("MAILSIFT_MARIADB_OPTIONS",
                 "--innodb-log-file-size=512M --innodb-io-capacity=2000 "
                 "--innodb-max-dirty-pages-pct-lwm=10",
                 0);
        if (runShell(script(), {"start", dir_, std::to_string(port_)}) != 0) {
            throw std::runtime_error("mariadb.sh start failed");
        }
        const CommandResult r =
            runCommand("/usr/bin/env",
                       {"mariadb", "--no-defaults", "-h127.0.0.1", "-P" + std::to_string(port_),
                        "-umailsift", "-pmailsift", "-e",
                        "DROP DATABASE IF EXISTS mailsift_bench; CREATE DATABASE mailsift_bench "
                        "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"});
        if (r.exitCode != 0) {
            stop();  // the destructor of a half-built object does not run
            throw std::runtime_error("cannot create mailsift_bench: " + r.err);
        }
    }
    ~PrivateMariaDb() { stop(); }
    PrivateMariaDb(const PrivateMariaDb&) = delete;
    PrivateMariaDb& operator=(const PrivateMariaDb&) = delete;

    std::string url() const {
        return "mysql://mailsift:mailsift@127.0.0.1:" + std::to_string(port_) + "/mailsift_bench";
    }

    /// InnoDB's dirty pages (written in memory, not yet on disk), or -1 when unknown.
    long long dirtyPages() const {
        const CommandResult r = runCommand(
            "/usr/bin/env",
            {"mariadb", "--no-defaults", "-h127.0.0.1", "-P" + std::to_string(port_), "-umailsift",
             "-pmailsift", "-N", "-e", "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'"});
        const auto tab = r.out.find('\t');
        return r.exitCode == 0 && tab != std::string::npos ? std::atoll(r.out.c_str() + tab + 1)
                                                           : -1;
    }

    /// Waits (at most `limit`) until InnoDB has written back what the job changed: the last
    /// chunk's transaction copies results to every repeated address, which dirties every page
    /// of the job, and the flush of those pages would otherwise share the 2 cores with the
    /// reads measured next. Returns the seconds waited and the dirty pages left.
    std::pair<double, long long> settle(std::chrono::seconds limit) const {
        const auto start = Clock::now();
        long long dirty = dirtyPages();
        while (dirty > 200 && Clock::now() - start < limit) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            dirty = dirtyPages();
        }
        return {secondsSince(start), dirty};
    }

    /// The server's process id (from its pid file), or 0.
    int pid() const {
        std::ifstream in(dir_ + "/mariadbd.pid");
        int pid = 0;
        in >> pid;
        return pid;
    }

  private:
    void stop() const { runShell(script(), {"stop", dir_, std::to_string(port_)}); }

    static std::string script() {
        return std::string(MAILSIFT_SOURCE_DIR) + "/tests/support/mariadb.sh";
    }

    std::string dir_;
    int port_;
};

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
        if (arg == "--store") {
            o.store = value();
        } else if (arg == "--rows") {
            o.rows = std::stoll(value());
        } else if (arg == "--requests") {
            o.requests = std::stoi(value());
        } else if (arg == "--mysql-port") {
            o.mysqlPort = std::stoi(value());
        } else if (arg == "--workers") {
            o.workers = std::stoi(value());
        } else if (arg == "--ingest-writers") {
            o.ingestWriters = std::stoi(value());
        } else if (arg == "--settle") {
            o.settle = true;
        } else {
            throw std::invalid_argument("unknown argument " + arg);
        }
    }
    if (o.store != "sqlite" && o.store != "mysql") {
        throw std::invalid_argument("--store must be sqlite or mysql");
    }
    if (o.rows < 2000 || o.requests < 1) {
        throw std::invalid_argument("--rows must be at least 2000, --requests at least 1");
    }
    return o;
}

int run(const Options& o) {
    TempDir dir;
    std::unique_ptr<PrivateMariaDb> mariadb;
    const auto dbPid = [&] { return mariadb ? mariadb->pid() : 0; };
    std::string storeUrl = "sqlite://" + dir.file("mailsift.db");
    if (o.store == "mysql") {
        mariadb = std::make_unique<PrivateMariaDb>(dir.file("mariadb"), o.mysqlPort);
        storeUrl = mariadb->url();
    }
    const std::string readConfig = dir.write("read.yaml", configYaml(storeUrl, 0, o.ingestWriters));
    const std::string workConfig =
        dir.write("work.yaml", configYaml(storeUrl, o.workers, o.ingestWriters));
    const std::string csv = dir.file("rows.csv");
    writeCsv(csv, o.rows);

    const CommandResult keys = runCommand(
        serverBinary(), {"keys", "create", "--account", "bench", "--config", readConfig});
    const auto keyAt = keys.out.find("msk_");
    if (keys.exitCode != 0 || keyAt == std::string::npos) {
        throw std::runtime_error("keys create failed: " + keys.out + keys.err);
    }
    std::string key = keys.out.substr(keyAt);
    key = key.substr(0, key.find_first_of(" \t\r\n"));

    const double rows = static_cast<double>(o.rows);
    std::printf("bench_jobs: store %s, %lld rows, %d requests per position, load average %s\n",
                o.store.c_str(), static_cast<long long>(o.rows), o.requests,
                [] {
                    std::ifstream in("/proc/loadavg");
                    std::string a, b, c;
                    in >> a >> b >> c;
                    return a + " " + b + " " + c;
                }()
                    .c_str());

    // 1. Ingestion, no workers.
    std::int64_t jobId = 0;
    double ingestRss = 0;
    {
        auto server = serve(readConfig);
        const CpuMeter cpu(server->pid(), dbPid());
        const auto start = Clock::now();
        jobId = upload(server->port(), key, csv, "bench");
        const double seconds = secondsSince(start);
        ingestRss = peakRssMb(server->pid());
        std::printf("  ingest     %8.2f s to 201   %10.0f rows/s   peak RSS %6.1f MB\n", seconds,
                    rows / seconds, ingestRss);
        cpu.print("ingest", seconds, rows, "row");
        std::fflush(stdout);
        server->stop(SIGTERM);
    }

    // 2. Verification with workers (syntax + lists), until done.
    double workRss = 0;
    {
        auto server = serve(workConfig);
        Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
        const auto start = Clock::now();
        for (;;) {
            const auto job = jobJson(session, key, jobId);
            const std::string state = job->getValue<std::string>("state");
            if (state == "done") {
                break;
            }
            if (state == "failed") {
                throw std::runtime_error("the job failed: " + server->err());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        const double seconds = secondsSince(start);
        workRss = peakRssMb(server->pid());
        std::printf(
            "  verify     %8.2f s to done  %10.0f rows/s   peak RSS %6.1f MB  (%d workers)\n",
            seconds, rows / seconds, workRss, o.workers);
        std::fflush(stdout);
        server->stop(SIGTERM);
    }

    if (mariadb && o.settle) {
        const auto [seconds, dirty] = mariadb->settle(std::chrono::seconds(120));
        std::printf(
            "  settle     %8.2f s until MariaDB wrote back the job's pages (%lld dirty "
            "left)\n",
            seconds, dirty);
        std::fflush(stdout);
    }

    // 3. Result pages and the download, no workers.
    double readRss = 0;
    {
        auto server = serve(readConfig);
        Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
        session.setKeepAlive(true);
        const std::string base = kJobs + "/" + std::to_string(jobId);
        get(session, base + "/result?pos=0", key);  // warm-up: connection and first page
        for (const std::int64_t pos : {std::int64_t{0}, o.rows / 2, o.rows - 1000}) {
            const CpuMeter cpu(server->pid(), dbPid());
            const auto wall = Clock::now();
            std::vector<double> ms;
            ms.reserve(static_cast<std::size_t>(o.requests));
            std::size_t bytes = 0;
            for (int i = 0; i < o.requests; ++i) {
                const auto start = Clock::now();
                bytes += get(session, base + "/result?pos=" + std::to_string(pos), key).size();
                ms.push_back(secondsSince(start) * 1000.0);
            }
            std::sort(ms.begin(), ms.end());
            std::printf("  result?pos=%-8lld p50 %6.2f ms   p99 %6.2f ms   (%zu bytes a page)\n",
                        static_cast<long long>(pos), percentile(ms, 50), percentile(ms, 99),
                        bytes / static_cast<std::size_t>(o.requests));
            cpu.print("pages", secondsSince(wall), o.requests, "page");
        }
        std::fflush(stdout);

        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, base + "/download",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + key);
        const CpuMeter cpu(server->pid(), dbPid());
        const auto start = Clock::now();
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
            throw std::runtime_error("download: " + std::to_string(response.getStatus()));
        }
        std::vector<char> buffer(256 * 1024);
        std::int64_t lines = 0;
        std::int64_t bytes = 0;
        while (in) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            const auto got = static_cast<std::size_t>(in.gcount());
            bytes += static_cast<std::int64_t>(got);
            lines += std::count(buffer.data(), buffer.data() + got, '\n');
        }
        const double seconds = secondsSince(start);
        readRss = peakRssMb(server->pid());
        const std::int64_t dataRows = lines - 1;  // the header
        std::printf("  download   %8.2f s          %10.0f rows/s   %lld rows, %.1f MB\n", seconds,
                    static_cast<double>(dataRows) / seconds, static_cast<long long>(dataRows),
                    static_cast<double>(bytes) / 1e6);
        cpu.print("download", seconds, static_cast<double>(dataRows), "row");
        std::printf("  reads      peak RSS %6.1f MB\n", readRss);
        server->stop(SIGTERM);
        if (dataRows != o.rows) {
            std::fprintf(stderr, "download: %lld rows, expected %lld\n",
                         static_cast<long long>(dataRows), static_cast<long long>(o.rows));
            return 1;
        }
    }
    std::printf("  peak RSS of the server over all runs: %.1f MB (target <= 300 MB)\n",
                std::max({ingestRss, workRss, readRss}));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(parseArgs(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "bench_jobs: " << e.what() << "\n";
        return 1;
    }
}
