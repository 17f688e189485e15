// Abuse of the listener: per-key rate limits (429 with Retry-After, then recovery), and slow
// clients (headers never finished, bodies trickled) that must not keep other clients waiting.
#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_server.h"

namespace mailsift::http::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kJobs = "/v1/email/validate/job";

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(ServerAbuse, RateLimitAnswers429WithRetryAfterAndRecovers) {
    config::HttpConfig config = testHttpConfig();
    config.rateLimit.requestsPerSecond = 1;
    config.rateLimit.burst = 3;
    TestServer server(config);
    const std::string key = server.issueKey("acme");
    const std::string otherKey = server.issueKey("other");

    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(server.get(kJobs, key).status, 200) << i;
    const HttpResult limited = server.get(kJobs, key);
    ASSERT_EQ(limited.status, 429);
    EXPECT_EQ(limited.header("Retry-After"), "1");
    EXPECT_EQ(limited.body,
              R"({"error":"Too many requests with this API key: the limit is 1 per second, with )"
              R"(bursts of 3. Wait 1 second (the Retry-After header) and send fewer requests at )"
              R"(once."})");

    // Another key is not affected; the service routes are never limited.
    EXPECT_EQ(server.get(kJobs, otherKey).status, 200);
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(server.get("/healthz").status, 200);
        EXPECT_EQ(server.get("/metrics").status, 200);
    }
    // A wrong key is a 401, not a 429: it has no bucket to empty.
    EXPECT_EQ(server.get(kJobs, "msk_000000000000_nope").status, 401);

    std::this_thread::sleep_for(std::chrono::seconds(std::stoi(limited.header("Retry-After"))));
    EXPECT_EQ(server.get(kJobs, key).status, 200) << "the bucket refilled";
    const std::string limitedLine =
        R"(mailsift_http_requests_total{method="GET",route="/v1/email/validate/job",status="429"} 1)";
    EXPECT_NE(server.awaitMetrics(limitedLine).find(limitedLine), std::string::npos);
}

/// A client that opens a connection, sends `head` at once, then one byte of `drip` every 100 ms
/// until the server closes the connection; records when that happened.
class SlowClient {
  public:
    SlowClient(std::uint16_t port, std::string head, char drip)
        : opened_(Clock::now()), socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
        thread_ = std::thread([this, head = std::move(head), drip] { run(head, drip); });
    }
    ~SlowClient() {
        stop_ = true;
        thread_.join();
    }
    SlowClient(const SlowClient&) = delete;
    SlowClient& operator=(const SlowClient&) = delete;

    bool closed() const { return closedAfter_ >= 0; }
    /// Seconds from connect to the server closing the connection; -1 while it is open.
    double closedAfter() const { return closedAfter_; }

  private:
    void run(const std::string& head, char drip) {
        try {
            socket_.sendBytes(head.data(), static_cast<int>(head.size()));
            while (!stop_) {
                if (socket_.poll(Poco::Timespan(0, 100'000), Poco::Net::Socket::SELECT_READ)) {
                    char buffer[512];
                    while (socket_.receiveBytes(buffer, sizeof buffer) > 0) {
                    }
                    break;
                }
                socket_.sendBytes(&drip, 1);
            }
        } catch (const Poco::Exception&) {
            // reset by the server: closed
        }
        if (!stop_)
            closedAfter_ = secondsSince(opened_);
    }

    Clock::time_point opened_;
    Poco::Net::StreamSocket socket_;
    std::atomic<bool> stop_{false};
    std::atomic<double> closedAfter_{-1};
    std::thread thread_;
};

TEST(ServerAbuse, SlowClientsAreCutAndOthersAreServed) {
    signal(SIGPIPE, SIG_IGN);  // the tricklers write to sockets the server has shut down
    config::HttpConfig config = testHttpConfig();
    config.threads = 4;
    config.maxQueued = 64;
    config.maxBodyBytes = 1 << 20;
    config.timeoutMs = 5000;  // per read: a byte every 100 ms never trips it
    config.headerTimeoutMs = 800;
    config.minBodyBytesPerSecond = 200;
    TestServer server(config);
    const std::string key = server.issueKey("acme");

    // More slow clients than threads: 6 never finish their headers, 3 trickle a body.
    std::vector<std::unique_ptr<SlowClient>> slow;
    for (int i = 0; i < 6; ++i) {
        slow.push_back(std::make_unique<SlowClient>(
            server.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", 'a'));
    }
    for (int i = 0; i < 3; ++i) {
        slow.push_back(std::make_unique<SlowClient>(
            server.port(),
            "POST /v1/email/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key +
                "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
            ' '));
    }
    std::this_thread::sleep_for(milliseconds(200));

    // A normal client is answered once the slow ones ahead of it have been cut: at most a few
    // header timeouts, never the minutes a trickle could last.
    const auto asked = Clock::now();
    const HttpResult health = server.get("/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_LT(secondsSince(asked), 4.0);

    for (const auto& client : slow) {
        ASSERT_TRUE(eventually([&] { return client->closed(); }) ||
                    eventually([&] { return client->closed(); }))
            << "a slow client was never cut";
        EXPECT_GE(client->closedAfter(), 0.7) << "cut before http.header_timeout_ms";
        EXPECT_LT(client->closedAfter(), 6.0);
    }
    for (const std::string line :
         {R"(mailsift_http_slow_connections_closed_total{reason="headers"} 6)",
          R"(mailsift_http_slow_connections_closed_total{reason="body"} 3)"}) {
        EXPECT_NE(server.awaitMetrics(line).find(line), std::string::npos) << line;
    }
    EXPECT_NE(server.logs().find("request headers were not complete within 800 ms"),
              std::string::npos);

    // Once they are gone, a request is answered at once again.
    const auto again = Clock::now();
    EXPECT_EQ(server.get(kJobs, key).status, 200);
    EXPECT_LT(secondsSince(again), 1.0);
}

/// Opens a connection (with a receive buffer of `receiveBuffer` bytes when > 0), asks for `uri`,
/// then reads nothing.
std::unique_ptr<Poco::Net::StreamSocket> silentReader(std::uint16_t port, const std::string& uri,
                                                      int receiveBuffer = 0) {
    auto socket = std::make_unique<Poco::Net::StreamSocket>(Poco::Net::SocketAddress::IPv4);
    if (receiveBuffer > 0)
        socket->setReceiveBufferSize(receiveBuffer);
    socket->connect(Poco::Net::SocketAddress("127.0.0.1", port));
    const std::string request =
        "GET " + uri + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    socket->sendBytes(request.data(), static_cast<int>(request.size()));
    return socket;
}

/// Reads until the server ends the connection (EOF or reset); the bytes read, or -1 when it
/// stays open for 10 s.
long long drain(Poco::Net::StreamSocket& socket) {
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    long long total = 0;
    std::vector<char> buffer(1 << 20);
    try {
        while (true) {
            const int got = socket.receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
            if (got <= 0)
                return total;
            total += got;
        }
    } catch (const Poco::TimeoutException&) {
        return -1;
    } catch (const Poco::Exception&) {
        return total;  // reset
    }
}

TEST(ServerAbuse, ClientsThatDoNotReadAResponseAreCut) {
    // Every response is watched, not only downloads: a route that answers one 16 MiB text.
    constexpr std::size_t kBig = 16U << 20;
    config::HttpConfig config = testHttpConfig();
    config.threads = 2;
    config.timeoutMs = 60000;  // Poco's own per-send timeout plays no part
    config.sendTimeoutMs = 700;
    config.minResponseBytesPerSecond = 1;  // the send timeout alone
    TestServer server(config, [&](Router& router) {
        router.add(
            "GET", "/test/big",
            [&](RequestContext& ctx) { ctx.sendText(200, "text/plain", std::string(kBig, 'x')); },
            {.requireAuth = false});
    });

    // Four readers that read nothing for two threads.
    std::vector<std::unique_ptr<Poco::Net::StreamSocket>> readers;
    for (int i = 0; i < 4; ++i)
        readers.push_back(silentReader(server.port(), "/test/big"));
    std::this_thread::sleep_for(milliseconds(200));
    const auto asked = Clock::now();
    EXPECT_EQ(server.get("/healthz").status, 200);
    EXPECT_LT(secondsSince(asked), 4.0) << "two waves of cuts at most";
    const std::string line = R"(mailsift_http_slow_connections_closed_total{reason="send"} 4)";
    EXPECT_NE(server.awaitMetrics(line).find(line), std::string::npos);
    for (auto& reader : readers) {
        const long long got = drain(*reader);
        EXPECT_GE(got, 0) << "the connection stayed open";
        EXPECT_LT(got, static_cast<long long>(kBig)) << "the whole response fitted the buffers";
    }
    EXPECT_NE(server.logs().find("Closed the connection from 127.0.0.1:"), std::string::npos);
    EXPECT_NE(server.logs().find("(GET /test/big): the client took no byte of the response for "
                                 "700 ms (http.send_timeout_ms)."),
              std::string::npos)
        << server.logs();

    // A reader that keeps up (here at full speed) gets all of it.
    auto fast = silentReader(server.port(), "/test/big");
    EXPECT_GT(drain(*fast), static_cast<long long>(kBig));
}

TEST(ServerAbuse, AResponseTakenUnderTheFloorIsCut) {
    constexpr std::size_t kBig = 16U << 20;
    config::HttpConfig config = testHttpConfig();
    config.sendTimeoutMs = 1000;
    config.minResponseBytesPerSecond = 1 << 20;  // 1 MiB/s
    TestServer server(config, [&](Router& router) {
        router.add(
            "GET", "/test/big",
            [&](RequestContext& ctx) { ctx.sendText(200, "text/plain", std::string(kBig, 'x')); },
            {.requireAuth = false});
    });
    // Takes 64 KiB every 200 ms (320 KiB/s): never stalled for a second, but under the floor.
    auto reader = silentReader(server.port(), "/test/big", 64 * 1024);
    reader->setReceiveTimeout(Poco::Timespan(0, 500'000));
    std::vector<char> buffer(64 * 1024);
    const auto started = Clock::now();
    long long total = 0;
    try {
        while (secondsSince(started) < 10.0) {
            const int got = reader->receiveBytes(buffer.data(), static_cast<int>(buffer.size()));
            if (got <= 0)
                break;
            total += got;
            std::this_thread::sleep_for(milliseconds(200));
        }
    } catch (const Poco::Exception&) {
        // reset: cut
    }
    EXPECT_LT(secondsSince(started), 10.0) << "not cut after " << total << " bytes";
    EXPECT_LT(total, static_cast<long long>(kBig));
    const std::string line = R"(mailsift_http_slow_connections_closed_total{reason="response"} 1)";
    EXPECT_NE(server.awaitMetrics(line).find(line), std::string::npos);
    EXPECT_NE(server.logs().find("bytes/s, under the floor of 1048576 bytes/s "
                                 "(http.min_response_bytes_per_second)."),
              std::string::npos)
        << server.logs();
}

TEST(ServerAbuse, ABodyAboveTheFloorIsNotCut) {
    config::HttpConfig config = testHttpConfig();
    config.maxBodyBytes = 1 << 20;
    config.headerTimeoutMs = 300;
    config.minBodyBytesPerSecond = 200;
    TestServer server(config);
    const std::string key = server.issueKey("acme");
    // 1,500 bytes in 150-byte pieces every 100 ms (1,500 bytes/s): over a second, well above the
    // floor of 200 bytes/s, and longer than the header timeout.
    std::string body = R"({"emails":["someone@example.com"])" + std::string(1500, ' ') + "}";
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    const std::string head =
        "POST /v1/email/validate HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    for (std::size_t at = 0; at < body.size(); at += 150) {
        const std::string piece = body.substr(at, 150);
        socket.sendBytes(piece.data(), static_cast<int>(piece.size()));
        std::this_thread::sleep_for(milliseconds(100));
    }
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    std::string answer;
    char buffer[4096];
    for (int n = 0; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
        answer.append(buffer, static_cast<std::size_t>(n));
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0U) << answer;
}

}  // namespace
}  // namespace mailsift::http::testing
