#include "excel/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace mailsift::connectors::excel {
namespace {

void closeFd(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

std::system_error systemError(int error, const std::string& what) {
    return std::system_error(error, std::generic_category(), what);
}

/// Owns the posix_spawn attribute objects for the duration of one spawn.
class SpawnSetup {
  public:
    SpawnSetup(int outputFd, int errorFd) {
        ::posix_spawn_file_actions_init(&actions_);
        ::posix_spawnattr_init(&attributes_);
        check(::posix_spawn_file_actions_addopen(&actions_, 0, "/dev/null", O_RDONLY, 0));
        check(::posix_spawn_file_actions_adddup2(&actions_, outputFd, 1));
        check(::posix_spawn_file_actions_adddup2(&actions_, errorFd, 2));
        // Nothing else of the server (sockets, database files, other uploads) reaches the child,
        // whether or not it was opened with O_CLOEXEC.
        check(::posix_spawn_file_actions_addclosefrom_np(&actions_, 3));
        sigset_t none;
        sigset_t all;
        sigemptyset(&none);
        sigfillset(&all);
        check(::posix_spawnattr_setsigmask(&attributes_, &none));
        check(::posix_spawnattr_setsigdefault(&attributes_, &all));
        check(::posix_spawnattr_setpgroup(&attributes_, 0));
        check(::posix_spawnattr_setflags(
            &attributes_, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP));
    }
    ~SpawnSetup() {
        ::posix_spawn_file_actions_destroy(&actions_);
        ::posix_spawnattr_destroy(&attributes_);
    }
    SpawnSetup(const SpawnSetup&) = delete;
    SpawnSetup& operator=(const SpawnSetup&) = delete;

    const posix_spawn_file_actions_t* actions() const { return &actions_; }
    const posix_spawnattr_t* attributes() const { return &attributes_; }

  private:
    static void check(int result) {
        if (result != 0)
            throw systemError(result, "posix_spawn set-up");
    }

    posix_spawn_file_actions_t actions_{};
    posix_spawnattr_t attributes_{};
};

}  // namespace

std::string ChildExit::describe() const {
    std::string text;
    if (signalled) {
        text = "signal " + std::to_string(signal);
        if (const char* name = ::strsignal(signal))
            text += std::string(" (") + name + ")";
    } else {
        text = "exit code " + std::to_string(code);
    }
    if (killed)
        text += ", killed by the server";
    return text;
}

ChildProcess::ChildProcess(const std::string& executable, const std::vector<std::string>& arguments,
                           Clock::time_point deadline, std::size_t maxErrorBytes)
    : deadline_(deadline), maxErrorBytes_(maxErrorBytes) {
    int output[2] = {-1, -1};
    int errors[2] = {-1, -1};
    if (::pipe2(output, O_CLOEXEC) != 0)
        throw systemError(errno, "pipe");
    if (::pipe2(errors, O_CLOEXEC) != 0) {
        const int error = errno;
        ::close(output[0]);
        ::close(output[1]);
        throw systemError(error, "pipe");
    }
    outputFd_ = output[0];
    errorFd_ = errors[0];

    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(executable.c_str()));
    for (const std::string& argument : arguments)
        argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    char* environment[] = {nullptr};

    int result = 0;
    try {
        const SpawnSetup setup(output[1], errors[1]);
        result = ::posix_spawn(&pid_, executable.c_str(), setup.actions(), setup.attributes(),
                               argv.data(), environment);
    } catch (...) {
        ::close(output[1]);
        ::close(errors[1]);
        closeFd(outputFd_);
        closeFd(errorFd_);
        throw;
    }
    ::close(output[1]);
    ::close(errors[1]);
    if (result != 0) {
        closeFd(outputFd_);
        closeFd(errorFd_);
        throw systemError(result, "cannot start " + executable);
    }
    // glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++, so the system call directly.
    pidFd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    if (pidFd_ < 0) {
        const int error = errno;
        reap(true);
        closeFd(outputFd_);
        closeFd(errorFd_);
        throw systemError(error, "pidfd_open");
    }
}

ChildProcess::~ChildProcess() {
    if (!reaped_)
        reap(true);
    closeFd(outputFd_);
    closeFd(errorFd_);
    closeFd(pidFd_);
}

void ChildProcess::drainErrors() {
    std::array<char, 4096> chunk{};
    const ssize_t got = ::read(errorFd_, chunk.data(), chunk.size());
    if (got > 0) {
        const std::size_t room = maxErrorBytes_ - std::min(maxErrorBytes_, errors_.size());
        errors_.append(chunk.data(), std::min(room, static_cast<std::size_t>(got)));
    } else if (got == 0 || errno != EINTR) {
        closeFd(errorFd_);
    }
}

bool ChildProcess::poll(bool wantOutput, bool wantExit) {
    for (;;) {
        const auto remaining =
            std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
        if (remaining <= 0)
            return false;
        std::array<pollfd, 3> fds{};
        std::size_t count = 0;
        int outputIndex = -1;
        int errorIndex = -1;
        int exitIndex = -1;
        if (wantOutput && outputFd_ >= 0) {
            outputIndex = static_cast<int>(count);
            fds[count++] = {outputFd_, POLLIN, 0};
        }
        if (errorFd_ >= 0) {
            errorIndex = static_cast<int>(count);
            fds[count++] = {errorFd_, POLLIN, 0};
        }
        if (wantExit && pidFd_ >= 0) {
            exitIndex = static_cast<int>(count);
            fds[count++] = {pidFd_, POLLIN, 0};
        }
        const int ready = ::poll(fds.data(), count, static_cast<int>(remaining));
        if (ready < 0) {
            if (errno == EINTR)
                continue;
            throw systemError(errno, "poll");
        }
        if (errorIndex >= 0 && fds[static_cast<std::size_t>(errorIndex)].revents != 0)
            drainErrors();
        if (outputIndex >= 0 && fds[static_cast<std::size_t>(outputIndex)].revents != 0)
            return true;
        if (exitIndex >= 0 && fds[static_cast<std::size_t>(exitIndex)].revents != 0)
            return true;
    }
}

std::size_t ChildProcess::readOutput(char* buffer, std::size_t size) {
    if (outputFd_ < 0 || size == 0)
        return 0;
    if (!poll(true, false)) {
        kill();
        throw ChildTimeout("the child did not finish before the deadline");
    }
    for (;;) {
        const ssize_t got = ::read(outputFd_, buffer, size);
        if (got >= 0) {
            if (got == 0)
                closeFd(outputFd_);
            return static_cast<std::size_t>(got);
        }
        if (errno != EINTR)
            throw systemError(errno, "read from the child");
    }
}

const ChildExit& ChildProcess::wait() {
    if (reaped_)
        return exit_;
    if (!poll(false, true)) {
        kill();
        throw ChildTimeout("the child did not exit before the deadline");
    }
    reap(false);
    // What the child wrote to standard error just before it ended.
    while (errorFd_ >= 0) {
        pollfd fd{errorFd_, POLLIN, 0};
        if (::poll(&fd, 1, 0) <= 0)
            break;
        drainErrors();
    }
    return exit_;
}

const ChildExit& ChildProcess::kill(std::chrono::milliseconds grace) {
    if (reaped_)
        return exit_;
    if (grace.count() > 0 && pidFd_ >= 0) {
        pollfd fd{pidFd_, POLLIN, 0};
        const auto remaining =
            std::chrono::ceil<std::chrono::milliseconds>(deadline_ - Clock::now());
        const auto wait = std::max(std::chrono::milliseconds(0), std::min(grace, remaining));
        while (::poll(&fd, 1, static_cast<int>(wait.count())) < 0 && errno == EINTR) {
        }
    }
    reap(true);
    return exit_;
}

void ChildProcess::reap(bool killFirst) {
    // Dead already (a crash that ended the output early)? Then it was not killed by us.
    siginfo_t info{};
    if (killFirst &&
        ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
        info.si_pid == pid_)
        killFirst = false;
    // The whole group: whatever the child started goes with it. A child that has already exited
    // is a zombie until waitpid below, so its pid (= the group id) cannot have been reused.
    ::kill(-pid_, SIGKILL);
    if (killFirst)
        ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    exit_.killed = killFirst;
    exit_.signalled = WIFSIGNALED(status);
    exit_.signal = exit_.signalled ? WTERMSIG(status) : 0;
    exit_.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
    reaped_ = true;
    closeFd(pidFd_);
}

}  // namespace mailsift::connectors::excel
