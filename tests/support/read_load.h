#pragma once

#include <cstdint>
#include <string>

namespace mailsift::testing {

/// What runReadLoad drives: the server binary, the number of concurrent connections, how long,
/// and the server's HTTP threads.
struct ReadLoadOptions {
    std::string serverBinary;
    int connections = 200;
    int seconds = 30;
    int wrkThreads = 2;
    int serverThreads = 16;         ///< http.threads of the server under load (the shipped default)
    int maxKeepAliveRequests = -1;  ///< http.max_keep_alive_requests; -1 = the shipped default
};

/// What wrk measured.
struct ReadLoadResult {
    std::int64_t requests = 0;
    double requestsPerSecond = 0;
    double p50Ms = 0;
    double p90Ms = 0;
    double p99Ms = 0;
    double maxMs = 0;
    std::int64_t non2xx = 0;        ///< "Non-2xx or 3xx responses"
    std::int64_t socketErrors = 0;  ///< connect + read + write + timeout
    std::string wrkOutput;          ///< as printed, for the record
    int serverExitCode = -1;        ///< of the SIGTERM at the end (0 = clean)
};

/// The read-load scenario of issue 8, shared by the integration test (a few seconds) and the
/// benchmark (30 s): a mailsift-server on 127.0.0.1 with SQLite in a temp folder, the shipped HTTP
/// settings except the rate limit (off: one key makes all the load), one finished 100-row job;
/// then `wrk --latency` with `connections` keep-alive connections (needs wrk on the PATH) going
/// round the read routes: the job list, the job, and its result page. Throws std::runtime_error
/// when the set-up fails (no wrk, server does not start, job does not finish).
ReadLoadResult runReadLoad(const ReadLoadOptions& options);

}  // namespace mailsift::testing
