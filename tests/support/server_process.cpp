#include "support/server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <regex>
#include <stdexcept>

extern char** environ;

namespace mailsift::testing {
namespace {

struct Spawned {
    int pid;
    int outFd;
    int errFd;
};

Spawned spawnWithPipes(const std::string& binary, const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) {
    int outPipe[2];
    int errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0 || pipe2(errPipe, O_CLOEXEC) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);

    std::vector<std::string> argStrings{binary};
    argStrings.insert(argStrings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argStrings)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** e = environ; *e; ++e) {
        const std::string kv(*e);
        const auto eq = kv.find('=');
        if (eq != std::string::npos)
            merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (const auto& [k, v] : env)
        merged[k] = v;
    std::vector<std::string> envStrings;
    for (const auto& [k, v] : merged)
        envStrings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : envStrings)
        envp.push_back(e.data());
    envp.push_back(nullptr);

    pid_t pid = -1;
    const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    if (rc != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        throw std::runtime_error("cannot start " + binary + ": " + std::strerror(rc));
    }
    return {pid, outPipe[0], errPipe[0]};
}

int decodeStatus(int status) {
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

}  // namespace

CommandResult runCommand(const std::string& binary, const std::vector<std::string>& args,
                         const std::map<std::string, std::string>& env) {
    Spawned s = spawnWithPipes(binary, args, env);
    CommandResult result;
    auto drain = [](int fd, std::string& into) {
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            into.append(buf, static_cast<std::size_t>(n));
        close(fd);
    };
    std::thread errThread(drain, s.errFd, std::ref(result.err));
    drain(s.outFd, result.out);
    errThread.join();
    int status = 0;
    waitpid(s.pid, &status, 0);
    result.exitCode = decodeStatus(status);
    return result;
}

ServerProcess::ServerProcess(std::string binary, std::vector<std::string> args,
                             std::map<std::string, std::string> env)
    : binary_(std::move(binary)), args_(std::move(args)), env_(std::move(env)) {}

ServerProcess::~ServerProcess() {
    if (pid_ > 0 && exitCode_ < 0) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
    if (outReader_.joinable())
        outReader_.join();
    if (errReader_.joinable())
        errReader_.join();
}

void ServerProcess::readPipe(int fd, std::string& into) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        std::lock_guard lock(mutex_);
        into.append(buf, static_cast<std::size_t>(n));
        changed_.notify_all();
    }
    close(fd);
}

void ServerProcess::start(std::chrono::seconds timeout) {
    if (outReader_.joinable())
        outReader_.join();
    if (errReader_.joinable())
        errReader_.join();
    {
        std::lock_guard lock(mutex_);
        out_.clear();
        err_.clear();
    }
    exitCode_ = -1;
    port_ = 0;
    Spawned s = spawnWithPipes(binary_, args_, env_);
    pid_ = s.pid;
    outReader_ = std::thread([this, fd = s.outFd] { readPipe(fd, out_); });
    errReader_ = std::thread([this, fd = s.errFd] { readPipe(fd, err_); });

    // Within one line, and only once the number is complete: the next log line may follow at once
    // ("...:37865\n2026-...T23:41:42"), and a pipe read may end inside the number.
    static const std::regex listening(R"(listening on https?://[^\s"]*:(\d+)[\s"])");
    const auto until = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(mutex_);
    while (true) {
        std::smatch m;
        if (std::regex_search(err_, m, listening)) {
            port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
            return;
        }
        lock.unlock();
        const bool alive = running();
        lock.lock();
        if (!alive || std::chrono::steady_clock::now() > until) {
            throw std::runtime_error("mailsift-server did not start listening (exit " +
                                     std::to_string(exitCode_) + "); stderr:\n" + err_ +
                                     "\nstdout:\n" + out_);
        }
        changed_.wait_for(lock, std::chrono::milliseconds(50));
    }
}

bool ServerProcess::running() {
    if (pid_ <= 0 || exitCode_ >= 0)
        return false;
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exitCode_ = decodeStatus(status);
        return false;
    }
    return true;
}

int ServerProcess::stop(int signal, std::chrono::seconds timeout) {
    if (!running())
        return exitCode_;
    kill(pid_, signal);
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > until) {
            kill(pid_, SIGKILL);
            int status = 0;
            waitpid(pid_, &status, 0);
            exitCode_ = decodeStatus(status);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (outReader_.joinable())
        outReader_.join();
    if (errReader_.joinable())
        errReader_.join();
    return exitCode_;
}

std::string ServerProcess::out() {
    std::lock_guard lock(mutex_);
    return out_;
}

std::string ServerProcess::err() {
    std::lock_guard lock(mutex_);
    return err_;
}

bool ServerProcess::waitForErr(const std::string& text, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return err_.find(text) != std::string::npos; });
}

}  // namespace mailsift::testing
