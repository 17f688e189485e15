#pragma once

namespace mailsift::app {

/// Exit codes of mailsift-server.
enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,  ///< the command failed (store unreachable, plugin refused, ...)
    kExitUsage = 2,    ///< bad command line or bad config
};

/// Parses the command line and runs the command; returns the process exit code.
int runMain(int argc, char** argv);

}  // namespace mailsift::app
