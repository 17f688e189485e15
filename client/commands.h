#pragma once

#include "api_client.h"
#include "cli.h"
#include "command_line.h"

namespace mailsift::client {

/// What every command gets: its words (after the command name), the options, the server and the
/// console.
struct CommandContext {
    const CommandLine& line;
    std::vector<std::string> args;
    ApiClient& api;
    const Console& console;
};

/// `mailsift validate EMAIL... [--json]`
int validateCommand(const CommandContext& ctx);

/// `mailsift jobs SUBCOMMAND ...`; args[0] is the subcommand.
int jobsCommand(const CommandContext& ctx);

}  // namespace mailsift::client
