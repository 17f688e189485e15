#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "smtp/fake_smtp_behaviour.h"
#include "smtp/fake_smtp_records.h"

namespace mailsift::fakes {

class FakeTlsContext;

/// A scripted SMTP server for tests and benchmarks. It listens on any number of loopback
/// addresses (127.x.y.z) on one port, each with its own FakeSmtpBehaviour, serves each connection
/// on its own thread, and records every connection and command so that tests can check that the
/// client was polite (sessions, concurrency, RSET, QUIT, never DATA).
///
/// Call addAddress() before start(); everything else is thread-safe at any time.
class FakeSmtpServer {
  public:
    /// `port` 0 picks a free port at start().
    explicit FakeSmtpServer(std::uint16_t port = 0);
    ~FakeSmtpServer();
    FakeSmtpServer(const FakeSmtpServer&) = delete;
    FakeSmtpServer& operator=(const FakeSmtpServer&) = delete;

    /// Adds a listening address (an IPv4 loopback literal) with its behaviour.
    void addAddress(const std::string& ip, FakeSmtpBehaviour behaviour = {});
    /// Binds every address on one port and starts serving. Throws std::runtime_error.
    void start();
    /// Closes the listeners and every open connection, and joins all threads. Idempotent.
    void stop();
    std::uint16_t port() const { return port_; }

    /// Replaces / edits / reads the behaviour of `ip` (applies to connections that start later).
    void setBehaviour(const std::string& ip, FakeSmtpBehaviour behaviour);
    void editBehaviour(const std::string& ip, const std::function<void(FakeSmtpBehaviour&)>& edit);
    FakeSmtpBehaviour behaviour(const std::string& ip) const;

    /// Copies of the connection records, for one server address or ("") all, in accept order.
    std::vector<FakeSmtpConnection> connections(const std::string& ip = "") const;
    /// The most connections ever open at once to `ip`, counting refused (421) ones.
    int maxConcurrent(const std::string& ip) const;
    /// Commands with this verb sent to `ip` ("" = every address).
    int commandCount(const std::string& verb, const std::string& ip = "") const;
    /// DATA or BDAT commands received anywhere (a prober must never send one).
    int dataCommands() const { return dataCommands_.load(); }
    /// Waits until no connection is open; false on timeout.
    bool waitIdle(std::chrono::milliseconds timeout) const;
    /// Forgets records, counters and greylisting state (not behaviours).
    void clearRecords();

  private:
    friend class FakeSmtpSession;
    struct Address {
        FakeSmtpBehaviour behaviour;
        int open = 0;
        int maxOpen = 0;
        std::map<std::string, int> openByClient;
    };

    void acceptLoop();
    void serve(int fd, std::string clientIp, std::string serverIp);

    // Used by FakeSmtpSession.
    /// Registers a connection; returns its record and whether the client is over its limit.
    std::pair<std::shared_ptr<FakeSmtpConnection>, bool> opened(int fd, const std::string& clientIp,
                                                                const std::string& serverIp,
                                                                FakeSmtpBehaviour& behaviour);
    void closed(int fd, const std::string& clientIp, const std::string& serverIp,
                const std::shared_ptr<FakeSmtpConnection>& record);
    void recordCommand(const std::shared_ptr<FakeSmtpConnection>& record, FakeSmtpCommand command);
    void recordReply(const std::shared_ptr<FakeSmtpConnection>& record, std::string reply);
    void recordTls(const std::shared_ptr<FakeSmtpConnection>& record);
    void noteData() { dataCommands_.fetch_add(1); }
    /// First time `key` was seen for greylisting (now, when never).
    std::chrono::steady_clock::time_point firstSeen(const std::string& key);
    /// Sleeps, but returns early (false) when the server stops.
    bool pause(std::chrono::milliseconds delay);
    FakeTlsContext& tls();
    bool stopping() const { return stopping_.load(); }

    std::uint16_t port_;
    std::atomic<bool> stopping_{false};
    bool started_ = false;
    std::vector<std::pair<std::string, int>> listeners_;  ///< ip, fd
    int wakeRead_ = -1;
    int wakeWrite_ = -1;
    std::thread acceptor_;

    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::map<std::string, Address> addresses_;
    std::set<int> openFds_;
    int sessionThreads_ = 0;  ///< detached session threads still running
    std::mutex pauseMutex_;   ///< only for pause(): stop() wakes every sleeping session
    std::condition_variable pauseWake_;
    std::vector<std::shared_ptr<FakeSmtpConnection>> records_;
    std::map<std::string, std::chrono::steady_clock::time_point> greylist_;
    std::atomic<int> dataCommands_{0};
    int openTotal_ = 0;

    std::once_flag tlsOnce_;
    std::unique_ptr<FakeTlsContext> tls_;
};

}  // namespace mailsift::fakes
