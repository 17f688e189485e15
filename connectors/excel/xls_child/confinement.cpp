#include "confinement.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "landlock.h"

#if defined(__SANITIZE_ADDRESS__)
#define MAILSIFT_CHILD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAILSIFT_CHILD_ASAN 1
#endif
#endif

namespace mailsift::connectors::excel::child {
namespace {

/// Enough for libfreexl's FILE and iconv's conversion modules besides stdin, stdout and stderr.
constexpr rlim_t kMaxFiles = 16;

std::string limit(int resource, rlim_t value, const char* name) {
    const rlimit both{value, value};
    if (::setrlimit(resource, &both) != 0)
        return std::string("setrlimit ") + name + ": " + std::strerror(errno);
    return "";
}

}  // namespace

std::string confine(const ConfinementLimits& limits, const std::string& file) {
    std::string failed;
    if (failed.empty())
        failed = limit(RLIMIT_CORE, 0, "RLIMIT_CORE");
    if (failed.empty())
        failed = limit(RLIMIT_FSIZE, 0, "RLIMIT_FSIZE");
    if (failed.empty())
        failed = limit(RLIMIT_NOFILE, kMaxFiles, "RLIMIT_NOFILE");
    if (failed.empty()) {
        // The soft limit sends SIGXCPU (default: terminate); one second later the hard one kills.
        const rlimit cpu{limits.cpuSeconds, limits.cpuSeconds + 1};
        if (::setrlimit(RLIMIT_CPU, &cpu) != 0)
            failed = std::string("setrlimit RLIMIT_CPU: ") + std::strerror(errno);
    }
#ifndef MAILSIFT_CHILD_ASAN
    if (failed.empty())
        failed = limit(RLIMIT_AS, limits.maxMemoryBytes, "RLIMIT_AS");
#endif
    if (failed.empty() && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        failed = std::string("prctl PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno);
#ifdef MAILSIFT_CHILD_ASAN
    const bool sanitizer = true;  // LeakSanitizer reads /proc/self/task at exit
#else
    const bool sanitizer = false;
#endif
    if (failed.empty())
        failed = restrictToReading(file, sanitizer).error;
    // The server's spawn closes them already; this holds even when started some other way.
    if (failed.empty() && ::close_range(3, ~0U, 0) != 0)
        failed = std::string("close_range: ") + std::strerror(errno);
    return failed;
}

}  // namespace mailsift::connectors::excel::child
