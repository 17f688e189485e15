#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mailsift::app {

/// A parsed `mailsift-server` command line.
struct CommandLine {
    std::string command;     ///< serve, keys, migrate, check-config, help, version
    std::string subcommand;  ///< for keys: create, list, revoke
    std::string configPath;  ///< --config FILE ("" when absent)
    std::string account;     ///< --account NAME (keys create)
    std::vector<std::string> positional;
};

/// Parses argv; throws std::invalid_argument with a sentence for bad usage.
CommandLine parseCommandLine(int argc, char** argv);

/// The text of `mailsift-server --help`.
std::string usage();

}  // namespace mailsift::app
