#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mailsift::testing {

/// What a finished command printed and how it exited.
struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

/// Runs `binary args...` to completion with extra environment variables.
CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env = {});

/// The real mailsift-server running `serve` as a child process. Its standard output and error
/// are collected; `start` waits until it logs the address it listens on.
class ServerProcess {
  public:
    ServerProcess(std::string binary, std::vector<std::string> args,
                  std::map<std::string, std::string> env = {});
    ~ServerProcess();  ///< kills the process if it still runs
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    /// Starts it and waits for "listening on http(s)://HOST:PORT"; throws with the output so far
    /// when it exits or does not listen within `timeout`.
    void start(std::chrono::seconds timeout = std::chrono::seconds(60));
    std::uint16_t port() const { return port_; }
    int pid() const { return pid_; }

    /// Sends `signal` and waits for the exit; returns the exit code (128+n when killed by n).
    int stop(int signal, std::chrono::seconds timeout = std::chrono::seconds(60));
    bool running();

    std::string out();  ///< standard output so far
    std::string err();  ///< standard error so far
    /// Waits until standard error contains `text`; false on timeout.
    bool waitForErr(const std::string& text, std::chrono::milliseconds timeout);

  private:
    void readPipe(int fd, std::string& into);

    std::string binary_;
    std::vector<std::string> args_;
    std::map<std::string, std::string> env_;
    int pid_ = -1;
    int exitCode_ = -1;
    std::uint16_t port_ = 0;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::string out_;
    std::string err_;
    std::thread outReader_;
    std::thread errReader_;
};

}  // namespace mailsift::testing
