// 200 concurrent keep-alive clients on the read routes (wrk) against the real server with the
// shipped HTTP settings (16 threads): every request answered 2xx, no socket errors, and a clean
// exit afterwards. A few seconds here; bench_read_load runs the same scenario for 30 s.
#include "support/read_load.h"

#include <gtest/gtest.h>

#include <iostream>

using namespace mailsift::testing;

TEST(ReadLoad, TwoHundredClientsGetNoErrors) {
    ReadLoadOptions options;
    options.serverBinary = MAILSIFT_SERVER_BINARY;
    options.connections = 200;
    options.seconds = 6;
    const ReadLoadResult result = runReadLoad(options);
    std::cout << result.wrkOutput << "\n";
    EXPECT_GT(result.requests, 1000) << "the server hardly answered";
    EXPECT_EQ(result.non2xx, 0);
    EXPECT_EQ(result.socketErrors, 0);
    EXPECT_GT(result.p99Ms, 0.0) << "no latency distribution in wrk's output";
    EXPECT_EQ(result.serverExitCode, 0);
}
