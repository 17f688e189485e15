#pragma once

#include <ostream>

namespace mailsift::client {

/// Where a command writes, and whether standard output is a terminal (progress bars only then).
struct Console {
    std::ostream& out;
    std::ostream& err;
    bool outIsTerminal = false;
};

/// Runs the mailsift command line; returns the exit code (see client_error.h and --help).
int run(int argc, char** argv, const Console& console);

}  // namespace mailsift::client
