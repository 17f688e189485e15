#include "app/command_line.h"

#include <stdexcept>

namespace mailsift::app {

std::string usage() {
    return R"(Usage: mailsift-server COMMAND [--config FILE] [options]

Commands:
  serve                      run the API server and workers in the foreground (SIGTERM/SIGINT stop it)
  keys create --account NAME create an API key (and the account if it is new); prints only the key
  keys list                  list API keys (never the keys themselves)
  keys revoke ID             revoke the API key with this id
  migrate                    apply pending store migrations and exit
  check-config               read the config and load the plugins it names, then exit
  version                    print the version

The config file is --config FILE, or $MAILSIFT_CONFIG when --config is absent.
)";
}

CommandLine parseCommandLine(int argc, char** argv) {
    CommandLine cl;
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](const std::string& flag) -> std::string {
            if (i + 1 >= args.size())
                throw std::invalid_argument(flag + " needs a value");
            return args[++i];
        };
        if (a == "--config" || a == "-c") {
            cl.configPath = value(a);
        } else if (a.rfind("--config=", 0) == 0) {
            cl.configPath = a.substr(9);
        } else if (a == "--account") {
            cl.account = value(a);
        } else if (a.rfind("--account=", 0) == 0) {
            cl.account = a.substr(10);
        } else if (a == "--check-config") {
            cl.command = "check-config";
        } else if (a == "-h" || a == "--help") {
            cl.command = "help";
        } else if (a == "--version") {
            cl.command = "version";
        } else if (a.rfind("-", 0) == 0) {
            throw std::invalid_argument("unknown option " + a + "; see mailsift-server --help");
        } else {
            cl.positional.push_back(a);
        }
    }
    if (cl.command.empty()) {
        if (cl.positional.empty())
            throw std::invalid_argument("no command given; see mailsift-server --help");
        cl.command = cl.positional.front();
        cl.positional.erase(cl.positional.begin());
    }
    if (cl.command == "keys") {
        if (cl.positional.empty()) {
            throw std::invalid_argument("keys needs a subcommand: create, list or revoke");
        }
        cl.subcommand = cl.positional.front();
        cl.positional.erase(cl.positional.begin());
        if (cl.subcommand != "create" && cl.subcommand != "list" && cl.subcommand != "revoke") {
            throw std::invalid_argument("unknown keys subcommand '" + cl.subcommand +
                                        "'; use create, list or revoke");
        }
        if (cl.subcommand == "create" && cl.account.empty()) {
            throw std::invalid_argument("keys create needs --account NAME");
        }
        if (cl.subcommand == "revoke" && cl.positional.size() != 1) {
            throw std::invalid_argument("keys revoke needs exactly one key id (see keys list)");
        }
    } else if (cl.command != "serve" && cl.command != "migrate" && cl.command != "check-config" &&
               cl.command != "help" && cl.command != "version") {
        throw std::invalid_argument("unknown command '" + cl.command +
                                    "'; see mailsift-server --help");
    }
    return cl;
}

}  // namespace mailsift::app
