#include "landlock.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace mailsift::connectors::excel::child {
namespace {

// The rights of later ABIs, which the system headers may predate (values from the kernel's
// uapi/linux/landlock.h; they never change).
constexpr std::uint64_t kFsTruncate = 1ULL << 14;              // ABI 3
constexpr std::uint64_t kFsIoctlDev = 1ULL << 15;              // ABI 5
constexpr std::uint64_t kNetBindTcp = 1ULL << 0;               // ABI 4
constexpr std::uint64_t kNetConnectTcp = 1ULL << 1;            // ABI 4
constexpr std::uint64_t kScopeAbstractUnixSocket = 1ULL << 0;  // ABI 6
constexpr std::uint64_t kScopeSignal = 1ULL << 1;              // ABI 6

/// struct landlock_ruleset_attr as of ABI 6; the kernel is told how much of it to read.
struct RulesetAttr {
    std::uint64_t handledAccessFs = 0;
    std::uint64_t handledAccessNet = 0;
    std::uint64_t scoped = 0;
};

constexpr std::uint64_t kFsAbi1 =
    LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
    LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
    LANDLOCK_ACCESS_FS_MAKE_SYM;
constexpr std::uint64_t kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                      LANDLOCK_ACCESS_FS_READ_FILE | kFsTruncate | kFsIoctlDev;

std::string failure(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}

/// Allows `rights` (those of them the ruleset handles) beneath `path`; a missing path is skipped.
std::string allow(int ruleset, const char* path, std::uint64_t rights, std::uint64_t handled) {
    const int fd = ::open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? "" : failure(path);
    landlock_path_beneath_attr rule{};
    rule.allowed_access = rights & handled;
    rule.parent_fd = fd;
    const long added =
        ::syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    const int error = errno;
    ::close(fd);
    errno = error;
    return added == 0 ? "" : failure("landlock_add_rule");
}

}  // namespace

LandlockResult restrictToReading(const std::string& file, bool allowProc) {
    LandlockResult result;
    const long abi =
        ::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1)
        return result;  // ENOSYS or EOPNOTSUPP: this kernel has no (enabled) Landlock

    RulesetAttr attr;
    attr.handledAccessFs = kFsAbi1;
    std::size_t size = sizeof(std::uint64_t);
    if (abi >= 2)
        attr.handledAccessFs |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3)
        attr.handledAccessFs |= kFsTruncate;
    if (abi >= 4) {
        attr.handledAccessNet = kNetBindTcp | kNetConnectTcp;
        size = 2 * sizeof(std::uint64_t);
    }
    if (abi >= 5)
        attr.handledAccessFs |= kFsIoctlDev;
    if (abi >= 6) {
        attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
        size = sizeof(RulesetAttr);
    }
    const int ruleset = static_cast<int>(::syscall(SYS_landlock_create_ruleset, &attr, size, 0));
    if (ruleset < 0) {
        result.error = failure("landlock_create_ruleset");
        return result;
    }
    const std::uint64_t read = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
    for (const char* libraries : {"/usr/lib", "/lib"}) {
        if (result.error.empty())
            result.error = allow(ruleset, libraries, read, attr.handledAccessFs);
    }
    if (result.error.empty() && allowProc)
        result.error = allow(ruleset, "/proc", read, attr.handledAccessFs);
    if (result.error.empty())
        result.error = allow(ruleset, file.c_str(), LANDLOCK_ACCESS_FS_READ_FILE & kFileRights,
                             attr.handledAccessFs);
    if (result.error.empty() && ::syscall(SYS_landlock_restrict_self, ruleset, 0) != 0)
        result.error = failure("landlock_restrict_self");
    ::close(ruleset);
    if (result.error.empty())
        result.abi = static_cast<int>(abi);
    return result;
}

}  // namespace mailsift::connectors::excel::child
