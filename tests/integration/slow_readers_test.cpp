// Slow readers against the real mailsift-server (4 threads): clients that start a CSV download
// far larger than the socket buffers and then read nothing, read one byte a second, half-close
// and never read, or read under http.min_response_bytes_per_second. They must be cut within the
// configured limits while another client keeps getting answers, be counted and logged, and leave
// the server healthy with a clean exit on SIGTERM. A reader that pauses for less than
// http.send_timeout_ms gets every row, and a client that vanishes mid-download stops the scan.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "integration/server_fixture.h"

using namespace mailsift::testing;

namespace {

using Clock = std::chrono::steady_clock;
using Ms = std::chrono::milliseconds;

const std::string kJobs = "/v1/email/validate/job";
constexpr int kRows = 80000;
constexpr int kSendTimeoutMs = 2000;
constexpr int kMinResponseBytesPerSecond = 16384;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

bool waitFor(const std::function<bool()>& done, Ms timeout) {
    const auto until = Clock::now() + timeout;
    while (Clock::now() < until) {
        if (done())
            return true;
        std::this_thread::sleep_for(Ms(50));
    }
    return done();
}

/// A job's rows get long addresses so that the CSV (some 12 MB) is far larger than what the
/// loopback socket buffers of both ends hold.
std::string bigCsv() {
    std::string csv = "email\n";
    const std::string pad(40, 'x');
    for (int i = 0; i < kRows; ++i)
        csv += "reader." + pad + "." + std::to_string(i) +
               "@slow-readers-test-domain-with-a-rather-long-name.example.com\n";
    return csv;
}

/// A raw client socket on loopback that sends one download request and reads at its own pace.
class RawClient {
  public:
    /// `receiveBuffer` > 0 sets SO_RCVBUF before connecting (a small window).
    RawClient(std::uint16_t port, int receiveBuffer = 0) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
        if (receiveBuffer > 0)
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof(receiveBuffer));
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected_ =
            ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    }
    ~RawClient() {
        if (fd_ >= 0)
            ::close(fd_);
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;

    bool connected() const { return connected_; }

    bool sendRequest(const std::string& path, const std::string& key) {
        const std::string request = "GET " + path +
                                    " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key +
                                    "\r\nConnection: close\r\n\r\n";
        return ::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(request.size());
    }
    void halfClose() { ::shutdown(fd_, SHUT_WR); }
    void vanish() {
        // An abortive close (RST), as when a client's process dies with unread data.
        const linger abort{1, 0};
        ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof(abort));
        ::close(fd_);
        fd_ = -1;
    }

    /// Reads up to `limit` bytes, waiting at most `wait`; 0 at the end of the stream, -1 on an
    /// error (a reset), -2 when nothing came in time.
    long readSome(std::size_t limit, Ms wait) {
        const timeval timeout{static_cast<time_t>(wait.count() / 1000),
                              static_cast<suseconds_t>(wait.count() % 1000 * 1000)};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        std::string chunk(limit, '\0');
        const ssize_t got = ::recv(fd_, chunk.data(), limit, 0);
        if (got > 0) {
            received_.append(chunk.data(), static_cast<std::size_t>(got));
            return got;
        }
        if (got == 0)
            return 0;
        return errno == EAGAIN || errno == EWOULDBLOCK ? -2 : -1;
    }

    /// Reads until the end of the stream or an error; false when it stays open for `wait`.
    bool drainToEnd(Ms wait) {
        const auto until = Clock::now() + wait;
        while (Clock::now() < until) {
            const long got = readSome(1 << 20, Ms(500));
            if (got == 0 || got == -1)
                return true;
        }
        return false;
    }

    const std::string& received() const { return received_; }
    /// The chunked body ended with its last chunk (the whole download arrived).
    bool complete() const {
        return received_.size() >= 7 &&
               received_.compare(received_.size() - 7, 7, "\r\n0\r\n\r\n") == 0;
    }

  private:
    int fd_;
    bool connected_ = false;
    std::string received_;
};

/// Decodes a chunked HTTP/1.1 response: the body, or "" when it is malformed.
std::string chunkedBody(const std::string& raw) {
    std::size_t pos = raw.find("\r\n\r\n");
    if (pos == std::string::npos)
        return "";
    pos += 4;
    std::string body;
    while (true) {
        const std::size_t lineEnd = raw.find("\r\n", pos);
        if (lineEnd == std::string::npos)
            return "";
        const std::size_t size = std::stoul(raw.substr(pos, lineEnd - pos), nullptr, 16);
        if (size == 0)
            return body;
        body.append(raw, lineEnd + 2, size);
        pos = lineEnd + 2 + size + 2;
    }
}

std::size_t countLines(const std::string& csv) {
    std::size_t lines = 0;
    for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2))
        ++lines;
    return lines;
}

/// The value of a counter line in /metrics text, 0 when absent.
long metricValue(const std::string& metrics, const std::string& series) {
    const std::size_t at = metrics.find("\n" + series + " ");
    if (at == std::string::npos)
        return 0;
    return std::stol(metrics.substr(at + series.size() + 2));
}

class SlowReaders : public ::testing::Test {
  protected:
    void SetUp() override {
        const std::string httpYaml =
            "  send_timeout_ms: " + std::to_string(kSendTimeoutMs) +
            "\n  min_response_bytes_per_second: " + std::to_string(kMinResponseBytesPerSecond) +
            "\n";
        const std::string extra =
            "plugins:\n"
            "  stages:\n"
            "    - {name: mailsift.stage.syntax, config: {}}\n"
            "  connectors:\n"
            "    - {name: mailsift.connector.file, config: {}}\n"
            "jobs:\n  workers: 2\n  chunk_size: 1000\n  poll_ms: 20\n";
        fixture_ = std::make_unique<ServerFixture>(
            ServerSetup{.storeUrl = "", .extraYaml = extra, .httpYaml = httpYaml});
        key_ = findKey(fixture_->run({"keys", "create", "--account", "acme"}).out);
        ASSERT_FALSE(key_.empty());
        server_ = fixture_->serve();

        const std::string boundary = "----mailsiftSlowReaders";
        const std::string body =
            "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nfile\r\n"
            "--" +
            boundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; "
            "filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
            bigCsv() + "\r\n--" + boundary + "--\r\n";
        const auto created = client().request("POST", kJobs, key_, body,
                                              "multipart/form-data; boundary=" + boundary);
        ASSERT_EQ(created.status, 201) << created.body;
        jobId_ = parse(created.body)->getValue<std::int64_t>("id");
        jobPath_ = kJobs + "/" + std::to_string(jobId_);
        ASSERT_TRUE(waitFor(
            [&] {
                const auto job = client().get(jobPath_, key_);
                return job.status == 200 &&
                       parse(job.body)->getValue<std::string>("state") == "done";
            },
            Ms(120000)))
            << "the job did not finish";
    }

    void TearDown() override {
        if (HasFailure() && server_) {
            const std::string err = server_->err();
            std::cerr << "server standard error (last 4000 bytes):\n"
                      << err.substr(err.size() > 4000 ? err.size() - 4000 : 0) << "\n";
        }
    }

    static Poco::JSON::Object::Ptr parse(const std::string& text) {
        Poco::JSON::Parser parser;
        return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    }

    HttpClient client() const { return fixture_->client(*server_); }

    long cuts(const std::string& reason) const {
        return metricValue(
            client().get("/metrics").body,
            "mailsift_http_slow_connections_closed_total{reason=\"" + reason + "\"}");
    }

    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
    std::int64_t jobId_ = 0;
    std::string jobPath_;
};

TEST_F(SlowReaders, MoreSlowReadersThanThreadsAreCutWhileOthersAreServed) {
    const std::string download = jobPath_ + "/download";
    // Eight slow readers for four threads, two of each kind.
    enum class Kind { silent, halfClosed, oneBytePerSecond, underTheFloor };
    struct Reader {
        Kind kind;
        std::unique_ptr<RawClient> socket;
        std::thread thread;
        std::atomic<bool> ended{false};
        ~Reader() {
            if (thread.joinable())
                thread.join();
        }
    };
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Reader>> readers;
    // Stops the reading threads on every way out (a failed assertion included), before the
    // readers join them.
    const std::unique_ptr<std::atomic<bool>, void (*)(std::atomic<bool>*)> stopOnExit(
        &stop, [](std::atomic<bool>* flag) { *flag = true; });
    const auto started = Clock::now();
    for (Kind kind :
         {Kind::silent, Kind::halfClosed, Kind::oneBytePerSecond, Kind::underTheFloor, Kind::silent,
          Kind::halfClosed, Kind::oneBytePerSecond, Kind::underTheFloor}) {
        auto reader = std::make_unique<Reader>();
        reader->kind = kind;
        // The under-the-floor readers take a small window so that the kernel passes on what they
        // read as they read it.
        reader->socket =
            std::make_unique<RawClient>(server_->port(), kind == Kind::underTheFloor ? 8192 : 0);
        ASSERT_TRUE(reader->socket->connected());
        ASSERT_TRUE(reader->socket->sendRequest(download, key_));
        if (kind == Kind::halfClosed)
            reader->socket->halfClose();
        if (kind == Kind::oneBytePerSecond || kind == Kind::underTheFloor) {
            Reader* self = reader.get();
            reader->thread = std::thread([self, &stop] {
                const bool oneByte = self->kind == Kind::oneBytePerSecond;
                while (!stop) {
                    // One byte a second, or 1 KiB every 250 ms (4 KiB/s, under the floor).
                    const long got = self->socket->readSome(oneByte ? 1 : 1024, Ms(100));
                    if (got == 0 || got == -1) {
                        self->ended = true;
                        return;
                    }
                    std::this_thread::sleep_for(Ms(oneByte ? 1000 : 250));
                }
            });
        }
        readers.push_back(std::move(reader));
    }

    // Meanwhile another client keeps asking for the job and a result page.
    double slowest = 0;
    int answered = 0;
    const auto cutAll = [&] { return cuts("send") + cuts("response") >= 8; };
    const auto deadline = started + Ms(30000);
    while (Clock::now() < deadline) {
        for (const std::string& path : {jobPath_, jobPath_ + "/result?pos=100"}) {
            const auto asked = Clock::now();
            const auto answer = client().get(path, key_);
            slowest = std::max(slowest, secondsSince(asked));
            EXPECT_EQ(answer.status, 200) << path;
            ++answered;
        }
        if (cutAll())
            break;
        std::this_thread::sleep_for(Ms(100));
    }
    const double allCutAfter = secondsSince(started);
    const long bySend = cuts("send");
    const long byRate = cuts("response");
    std::cout << "8 slow readers cut after " << allCutAfter << " s (send " << bySend
              << ", response " << byRate << "); " << answered
              << " answers to the other client, the slowest in " << slowest << " s\n";
    EXPECT_EQ(bySend + byRate, 8) << "every slow reader is cut, and only those";
    EXPECT_GE(byRate, 1) << "the under-the-floor readers keep the send timeout at bay";
    // Two waves of four (the second queued behind the first), each cut within the send timeout
    // (or one span of it for the rate) plus the watchdog's tick once its buffers are full.
    EXPECT_LT(allCutAfter, 4.0 * kSendTimeoutMs / 1000 + 4);
    EXPECT_LT(slowest, 2.0 * kSendTimeoutMs / 1000 + 4)
        << "the other client waited for more than two waves of slow readers";

    // Each slow reader's socket ends (EOF or reset) without the whole download.
    stop = true;
    for (auto& reader : readers) {
        if (reader->thread.joinable())
            reader->thread.join();
        EXPECT_TRUE(reader->socket->drainToEnd(Ms(10000)));
        EXPECT_FALSE(reader->socket->complete()) << "a slow reader got the whole download";
    }

    const std::string log = server_->err();
    EXPECT_NE(log.find("Closed the connection from 127.0.0.1:"), std::string::npos) << log;
    EXPECT_NE(log.find("(GET /v1/email/validate/job/{id}/download): the client took "),
              std::string::npos);
    EXPECT_TRUE(log.find("(http.send_timeout_ms).") != std::string::npos ||
                log.find("(http.min_response_bytes_per_second).") != std::string::npos);

    // Healthy afterwards: the job and its data are untouched, a full download still works.
    EXPECT_EQ(client().get("/healthz").status, 200);
    const auto job = client().get(jobPath_, key_);
    ASSERT_EQ(job.status, 200);
    EXPECT_EQ(parse(job.body)->getValue<std::string>("state"), "done");
    const auto all = client().get(download, key_);
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(countLines(all.body), static_cast<std::size_t>(kRows) + 1);
    EXPECT_EQ(server_->stop(SIGTERM), 0);
}

TEST_F(SlowReaders, AReaderPausingUnderTheSendTimeoutGetsEveryRow) {
    RawClient reader(server_->port());
    ASSERT_TRUE(reader.sendRequest(jobPath_ + "/download", key_));
    // Read whatever has arrived (up to 2 MiB), then pause for half the send timeout, to the end.
    const auto started = Clock::now();
    int pauses = 0;
    while (true) {
        long got = 0;
        std::size_t burst = 0;
        while (burst < (2U << 20) && (got = reader.readSome(256 * 1024, Ms(200))) > 0)
            burst += static_cast<std::size_t>(got);
        if (got == 0 || got == -1 || reader.complete())
            break;
        ASSERT_LT(secondsSince(started), 60.0);
        std::this_thread::sleep_for(Ms(kSendTimeoutMs / 2));
        ++pauses;
    }
    ASSERT_TRUE(reader.complete()) << "cut after " << reader.received().size() << " bytes";
    const std::string csv = chunkedBody(reader.received());
    EXPECT_EQ(countLines(csv), static_cast<std::size_t>(kRows) + 1) << "every row and the header";
    std::cout << csv.size() << " bytes of CSV with " << pauses << " pauses of "
              << kSendTimeoutMs / 2 << " ms in " << secondsSince(started) << " s\n";
    EXPECT_GE(pauses, 2) << "the download fitted the socket buffers: nothing was proven";
    EXPECT_EQ(cuts("send") + cuts("response"), 0);
    EXPECT_EQ(server_->stop(SIGTERM), 0);
}

TEST_F(SlowReaders, AClientThatVanishesStopsTheDownload) {
    // The client sends the request, takes the first bytes, then its process dies.
    {
        RawClient gone(server_->port());
        ASSERT_TRUE(gone.sendRequest(jobPath_ + "/download", key_));
        ASSERT_GT(gone.readSome(1024, Ms(5000)), 0);
        gone.vanish();
    }
    // The handler notices at its next write and stops reading the store: fewer rows are read
    // than the job has (the whole job would be read for nobody otherwise).
    const std::string abandoned = "mailsift_http_downloads_abandoned_total";
    ASSERT_TRUE(waitFor([&] { return metricValue(client().get("/metrics").body, abandoned) == 1; },
                        Ms(10000)));
    const long rows =
        metricValue(client().get("/metrics").body, "mailsift_http_download_rows_total");
    std::cout << "the download for a vanished client read " << rows << " of " << kRows << " rows\n";
    EXPECT_GT(rows, 0);
    EXPECT_LT(rows, kRows);
    // It did not hold its thread: a full download still counts every row.
    const auto all = client().get(jobPath_ + "/download", key_);
    ASSERT_EQ(all.status, 200);
    EXPECT_EQ(countLines(all.body), static_cast<std::size_t>(kRows) + 1);
    EXPECT_EQ(metricValue(client().get("/metrics").body, abandoned), 1);
    EXPECT_EQ(server_->stop(SIGTERM), 0);
}

}  // namespace
