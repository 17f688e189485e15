// The read-load benchmark of issue 8: wrk with 200 keep-alive connections for 30 s against the
// job list, one job and its result page on the real mailsift-server (shipped HTTP settings, rate
// limit off). Prints requests per second and the latency percentiles; exits non-zero on any
// non-2xx answer or socket error. Options: --connections N, --seconds S, --server-threads T,
// --max-keep-alive R (http.max_keep_alive_requests).
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <string>

#include "support/read_load.h"

int main(int argc, char** argv) {
    mailsift::testing::ReadLoadOptions options;
    options.serverBinary = std::getenv("MAILSIFT_BENCH_SERVER") != nullptr
                               ? std::getenv("MAILSIFT_BENCH_SERVER")
                               : MAILSIFT_SERVER_BINARY;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (flag == "--connections") {
            options.connections = value;
        } else if (flag == "--seconds") {
            options.seconds = value;
        } else if (flag == "--server-threads") {
            options.serverThreads = value;
        } else if (flag == "--max-keep-alive") {
            options.maxKeepAliveRequests = value;
        } else {
            std::cerr << "usage: bench_read_load [--connections N] [--seconds S] "
                         "[--server-threads T] "
                         "[--max-keep-alive R]\n";
            return 2;
        }
    }
    try {
        const auto result = mailsift::testing::runReadLoad(options);
        std::cout << result.wrkOutput << "\n"
                  << std::fixed << std::setprecision(2) << "read load: " << options.connections
                  << " connections, " << options.seconds << " s, server threads "
                  << options.serverThreads << "\n"
                  << "  requests " << result.requests << ", " << result.requestsPerSecond
                  << " requests/s\n"
                  << "  latency p50 " << result.p50Ms << " ms, p90 " << result.p90Ms << " ms, p99 "
                  << result.p99Ms << " ms, max " << result.maxMs << " ms\n"
                  << "  non-2xx " << result.non2xx << ", socket errors " << result.socketErrors
                  << ", server exit code " << result.serverExitCode << "\n";
        return result.non2xx == 0 && result.socketErrors == 0 && result.serverExitCode == 0 ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "bench_read_load: " << e.what() << "\n";
        return 1;
    }
}
