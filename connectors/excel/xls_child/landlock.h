#pragma once

#include <string>

namespace mailsift::connectors::excel::child {

/// What restrictToReading() did.
struct LandlockResult {
    int abi = 0;        ///< the kernel's Landlock ABI that was applied; 0 = Landlock unavailable
    std::string error;  ///< set when Landlock is available but could not be applied
};

/// Restricts the calling process, with Linux Landlock, to reading `file` and the system
/// libraries (/usr/lib, /lib: where iconv's conversion modules live, loaded while the workbook is
/// read). Nothing else can be opened (not the server's database, config or key files, not /proc
/// and so not the server's environment or memory), nothing created, renamed or removed; no TCP
/// bind or connect (ABI 4+); no abstract unix sockets or signals outside the process (ABI 6+).
/// So a reader taken over by a hostile file finds nothing of the server or of other accounts to
/// read. Needs no_new_privs set first. Best effort: on a kernel without Landlock it returns abi 0
/// and changes nothing (the rlimits and the empty process still apply).
/// `allowProc` opens /proc for reading too: only for sanitizer builds, whose leak checker reads
/// /proc/self/task at exit (test builds; that weakens the above there).
LandlockResult restrictToReading(const std::string& file, bool allowProc = false);

}  // namespace mailsift::connectors::excel::child
