// The confinement mailsift-xls-reader applies to itself before libfreexl sees an upload, checked
// in a forked process (the limits cannot be undone, so not in the test process itself).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "xls_child/confinement.h"

namespace mailsift::connectors::excel::child {
namespace {

bool landlockAvailable() {
    return ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION) >= 1;
}

bool canRead(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0)
        ::close(fd);
    return fd >= 0;
}

/// Bit flags of what a confined process found wrong, as its exit code.
int checkConfined(const ConfinementLimits& limits, const std::string& upload) {
    [[maybe_unused]] const pid_t parent = ::getppid();
    if (!confine(limits, upload).empty())
        return 1;
    int failures = 0;
    const auto hard = [](int resource) {
        rlimit value{};
        ::getrlimit(resource, &value);
        return value;
    };
    if (hard(RLIMIT_CORE).rlim_max != 0 || hard(RLIMIT_FSIZE).rlim_max != 0 ||
        hard(RLIMIT_NOFILE).rlim_max > 16 || hard(RLIMIT_CPU).rlim_cur != limits.cpuSeconds)
        failures |= 2;
#if !defined(__SANITIZE_ADDRESS__)
    if (hard(RLIMIT_AS).rlim_max != limits.maxMemoryBytes)
        failures |= 8;
#endif
    if (::prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1)
        failures |= 16;
    if (::fcntl(250, F_GETFD) != -1 || ::fcntl(3, F_GETFD) != -1)
        failures |= 32;
    if (!canRead(upload))
        failures |= 64;
    // Landlock: the server's files (its config here) and its /proc entries are out of reach.
    if (landlockAvailable()) {
        if (canRead(std::string(MAILSIFT_CONNECTORS_CONFIG_DIR) + "/mailsift.yaml"))
            failures |= 128;
#if !defined(__SANITIZE_ADDRESS__)  // sanitizer builds open /proc for LeakSanitizer
        if (canRead("/proc/" + std::to_string(parent) + "/environ"))
            failures |= 4;
#endif
        if (::open("/tmp/mailsift-confined-probe", O_WRONLY | O_CREAT | O_CLOEXEC, 0600) >= 0)
            failures |= 128;
    }
    return failures;
}

TEST(XlsConfinement, LimitsPrivilegesAndDescriptors) {
    const int leaked = ::open("/dev/null", O_RDONLY);  // not O_CLOEXEC, as a careless caller's
    ASSERT_GE(leaked, 0);
    ASSERT_EQ(::dup2(leaked, 250), 250);
    ASSERT_EQ(::dup2(leaked, 3), 3);
    const std::string upload = ::testing::TempDir() + "mailsift-confinement-upload.xls";
    { std::ofstream(upload) << "bytes"; }
    if (!landlockAvailable())
        std::cerr << "note: this kernel has no Landlock; only the rest is checked\n";
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0)
        ::_exit(checkConfined({256u * 1024 * 1024, 7}, upload));
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ::close(250);
    if (leaked != 3)
        ::close(3);
    ::close(leaked);
    std::remove(upload.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "failure bits (see checkConfined)";
}

}  // namespace
}  // namespace mailsift::connectors::excel::child
