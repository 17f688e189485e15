#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace mailsift::connectors::excel {

/// The deadline of a ChildProcess passed (the child has been killed and reaped).
class ChildTimeout : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// How a child ended.
struct ChildExit {
    bool signalled = false;
    int code = 0;         ///< exit code when !signalled
    int signal = 0;       ///< signal number when signalled
    bool killed = false;  ///< we killed it (timeout, or the reader stopped early)

    bool success() const { return !signalled && code == 0; }
    /// "exit code 1", "signal 6 (Aborted)", "killed after the deadline".
    std::string describe() const;
};

/// One executable run with nothing of the server's but what it is given: posix_spawn with an
/// empty environment, standard input /dev/null, standard output and standard error pipes to us,
/// every other descriptor closed (closefrom), default signal dispositions and its own process
/// group. Standard output is read through readOutput(); standard error is kept up to
/// `maxErrorBytes` for the log. The destructor kills the process group and reaps the child, so no
/// zombie is left whatever happens to the reader. Not thread-safe; one object per run.
class ChildProcess {
  public:
    using Clock = std::chrono::steady_clock;

    /// Starts `executable` with `arguments` (argv[1..]). Throws std::system_error when it cannot
    /// be started (missing file, not executable, no processes left).
    ChildProcess(const std::string& executable, const std::vector<std::string>& arguments,
                 Clock::time_point deadline, std::size_t maxErrorBytes = 4096);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Up to `size` bytes of the child's standard output, waiting until some arrive; 0 when the
    /// child has closed it. Throws ChildTimeout at the deadline (after killing and reaping).
    std::size_t readOutput(char* buffer, std::size_t size);

    /// Waits for the child to exit (killing it at the deadline) and reaps it; idempotent.
    const ChildExit& wait();
    /// Kills the child's process group and reaps it; idempotent. With a `grace`, a child that is
    /// already on its way out (its output just ended) gets that long to exit by itself first, so
    /// that its own exit status or signal is what gets reported.
    const ChildExit& kill(std::chrono::milliseconds grace = std::chrono::milliseconds(0));

    /// The start of the child's standard error (at most maxErrorBytes), read so far.
    const std::string& errorOutput() const { return errors_; }
    pid_t pid() const { return pid_; }

  private:
    /// Waits for output, stderr or exit until the deadline; false at the deadline.
    bool poll(bool wantOutput, bool wantExit);
    void drainErrors();
    void reap(bool killFirst);

    pid_t pid_ = -1;
    int pidFd_ = -1;
    int outputFd_ = -1;
    int errorFd_ = -1;
    Clock::time_point deadline_;
    std::size_t maxErrorBytes_;
    std::string errors_;
    bool reaped_ = false;
    ChildExit exit_;
};

}  // namespace mailsift::connectors::excel
