#include "support/read_load.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace mailsift::testing {
namespace {

std::string findOnPath(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = dir + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    throw std::runtime_error(name + " is not installed: run scripts/install-deps --test");
}

std::string firstKey(const std::string& text) {
    static const std::regex key(R"(msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})");
    std::smatch m;
    return std::regex_search(text, m, key) ? m.str() : "";
}

/// wrk prints durations as 812.00us, 12.34ms or 1.20s.
double toMs(const std::string& number, const std::string& unit) {
    const double value = std::stod(number);
    if (unit == "us")
        return value / 1000.0;
    if (unit == "s")
        return value * 1000.0;
    if (unit == "m")
        return value * 60000.0;
    return value;
}

void parseWrk(const std::string& out, ReadLoadResult& result) {
    std::smatch m;
    if (std::regex_search(out, m, std::regex(R"((\d+) requests in)")))
        result.requests = std::stoll(m[1]);
    if (std::regex_search(out, m, std::regex(R"(Requests/sec:\s+([\d.]+))")))
        result.requestsPerSecond = std::stod(m[1]);
    const auto percentile = [&](const char* which) {
        std::smatch p;
        const std::regex line(std::string(R"(\s)") + which + R"(%\s+([\d.]+)(us|ms|s|m)\b)");
        return std::regex_search(out, p, line) ? toMs(p[1], p[2]) : -1.0;
    };
    result.p50Ms = percentile("50");
    result.p90Ms = percentile("90");
    result.p99Ms = percentile("99");
    if (std::regex_search(out, m, std::regex(R"(Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s|m)\b)")))
        result.maxMs = toMs(m[1], m[2]);
    if (std::regex_search(out, m, std::regex(R"(Non-2xx or 3xx responses:\s+(\d+))")))
        result.non2xx = std::stoll(m[1]);
    if (std::regex_search(
            out, m,
            std::regex(
                R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))"))) {
        result.socketErrors =
            std::stoll(m[1]) + std::stoll(m[2]) + std::stoll(m[3]) + std::stoll(m[4]);
    }
}

}  // namespace

ReadLoadResult runReadLoad(const ReadLoadOptions& options) {
    const std::string wrk = findOnPath("wrk");
    TempDir dir;
    const std::string config = dir.write(
        "mailsift.yaml",
        "http:\n  address: 127.0.0.1\n  port: 0\n  threads: " +
            std::to_string(options.serverThreads) + "\n  rate_limit: {requests_per_second: 0}\n" +
            (options.maxKeepAliveRequests >= 0
                 ? "  max_keep_alive_requests: " + std::to_string(options.maxKeepAliveRequests) +
                       "\n"
                 : std::string()) +
            "store:\n  url: 'sqlite://" + dir.file("mailsift.db") +
            "'\n"
            "plugins:\n  stages:\n    - {name: mailsift.stage.syntax, config: {}}\n"
            "  connectors:\n    - {name: mailsift.connector.input, config: {}}\n"
            "jobs:\n  workers: 1\n  poll_ms: 20\n"
            "logging:\n  level: notice\n");  // the start line is a notice
    const CommandResult created = runCommand(
        options.serverBinary, {"keys", "create", "--account", "load", "--config", config});
    const std::string key = firstKey(created.out);
    if (key.empty())
        throw std::runtime_error("keys create failed: " + created.err);

    ServerProcess server(options.serverBinary, {"serve", "--config", config});
    server.start();
    const HttpClient client("127.0.0.1", server.port());
    std::string input;
    for (int i = 0; i < 100; ++i)
        input +=
            (i == 0 ? "" : "%2C") + std::string("reader") + std::to_string(i) + "%40example.com";
    const HttpResponse made = client.request("POST", "/v1/email/validate/job", key,
                                             "source=input&label=load&input=" + input,
                                             "application/x-www-form-urlencoded");
    std::smatch m;
    if (made.status != 201 || !std::regex_search(made.body, m, std::regex(R"("id":(\d+))")))
        throw std::runtime_error("creating the job failed: " + made.body);
    const std::string job = "/v1/email/validate/job/" + m[1].str();
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (client.get(job, key).body.find("\"state\":\"done\"") == std::string::npos) {
        if (std::chrono::steady_clock::now() > until)
            throw std::runtime_error("the job did not finish: " + client.get(job, key).body);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }

    const std::string script =
        dir.write("read.lua", "wrk.headers[\"Authorization\"] = \"Bearer " + key +
                                  "\"\n"
                                  "local paths = {\"/v1/email/validate/job\", \"" +
                                  job + "\", \"" + job +
                                  "/result?pos=0\"}\n"
                                  "local i = 0\n"
                                  "request = function()\n"
                                  "  i = i % #paths + 1\n"
                                  "  return wrk.format(\"GET\", paths[i])\n"
                                  "end\n");
    const CommandResult ran = runCommand(
        wrk, {"-t", std::to_string(options.wrkThreads), "-c", std::to_string(options.connections),
              "-d", std::to_string(options.seconds) + "s", "--timeout", "10s", "--latency", "-s",
              script, "http://127.0.0.1:" + std::to_string(server.port()) + "/"});
    ReadLoadResult result;
    result.wrkOutput = ran.out + ran.err;
    if (ran.exitCode != 0)
        throw std::runtime_error("wrk failed: " + result.wrkOutput);
    parseWrk(ran.out, result);
    result.serverExitCode = server.stop(SIGTERM);
    return result;
}

}  // namespace mailsift::testing
