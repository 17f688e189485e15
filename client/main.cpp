#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli.h"

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);  // a server that hangs up is an error to report, not a death
    return mailsift::client::run(argc, argv, {std::cout, std::cerr, ::isatty(STDOUT_FILENO) == 1});
}
