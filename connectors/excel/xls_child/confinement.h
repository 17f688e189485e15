#pragma once

#include <cstddef>
#include <string>

namespace mailsift::connectors::excel::child {

/// What the reader process may use.
struct ConfinementLimits {
    std::size_t maxMemoryBytes = 512 * 1024 * 1024;  ///< RLIMIT_AS
    unsigned cpuSeconds = 30;                        ///< RLIMIT_CPU (SIGXCPU, then SIGKILL)
};

/// Confines the calling process before it touches an upload: no core dumps, no files written
/// (RLIMIT_FSIZE 0), at most a few descriptors, bounded memory and CPU time, no new privileges
/// (PR_SET_NO_NEW_PRIVS), Landlock (landlock.h: read `file` and the system libraries, nothing
/// else; where the kernel has it), and every descriptor above 2 closed. Returns "" on success,
/// otherwise what failed (the caller reports it and exits).
///
/// Under AddressSanitizer the memory limit is left out: ASan reserves terabytes of shadow address
/// space at start-up, so any RLIMIT_AS would stop it; the sanitizer builds check memory anyway.
std::string confine(const ConfinementLimits& limits, const std::string& file);

}  // namespace mailsift::connectors::excel::child
