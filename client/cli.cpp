#include "cli.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "api_client.h"
#include "client_error.h"
#include "command_line.h"
#include "commands.h"
#include "help_text.h"

namespace mailsift::client {
namespace {

constexpr const char* kDefaultUrl = "http://localhost:8080";

std::string fromEnvironment(const char* name) {
    const char* value = std::getenv(name);
    return value == nullptr ? std::string() : std::string(value);
}

/// "validate", "jobs", "jobs create": the command the words name, for --help.
std::string commandName(const std::vector<std::string>& words) {
    if (words.empty())
        return "";
    if (words[0] == "jobs" && words.size() > 1)
        return "jobs " + words[1];
    return words[0];
}

int dispatch(const CommandLine& line, const Console& console) {
    const auto& words = line.words();
    if (words.empty() || words[0] == "help") {
        const bool asked = line.flag("help") || !words.empty();
        (asked ? console.out : console.err)
            << helpText(words.size() > 1 ? commandName({words.begin() + 1, words.end()}) : "");
        return asked ? exit_code::kOk : exit_code::kUsage;
    }
    if (words[0] != "validate" && words[0] != "jobs") {
        throw ClientError(exit_code::kUsage,
                          "Unknown command \"" + words[0] + "\"; see mailsift --help.");
    }
    if (line.flag("help") || (words[0] == "jobs" && words.size() == 1)) {
        console.out << helpText(commandName(words));
        return line.flag("help") ? exit_code::kOk : exit_code::kUsage;
    }
    std::string url = line.value("url").value_or(fromEnvironment("MAILSIFT_URL"));
    if (url.empty())
        url = kDefaultUrl;
    const std::string key = line.value("key").value_or(fromEnvironment("MAILSIFT_API_KEY"));
    if (key.empty()) {
        throw ClientError(exit_code::kUsage,
                          "No API key: pass --key KEY or set MAILSIFT_API_KEY (mailsift-server "
                          "keys create prints one).");
    }
    const std::string caFile = line.value("ca-file").value_or(fromEnvironment("MAILSIFT_CA_FILE"));
    if (!caFile.empty() && !std::ifstream(caFile)) {
        throw ClientError(exit_code::kLocalFile,
                          "Cannot read the CA file " + caFile + ": " + std::strerror(errno) + ".");
    }
    ApiClient api(url, key, caFile);
    const CommandContext ctx{line, {words.begin() + 1, words.end()}, api, console};
    return words[0] == "validate" ? validateCommand(ctx) : jobsCommand(ctx);
}

}  // namespace

int run(int argc, char** argv, const Console& console) {
    try {
        return dispatch(CommandLine::parse(argc, argv), console);
    } catch (const ClientError& e) {
        console.out.flush();
        console.err << "mailsift: " << e.what() << '\n';
        return e.exitCode();
    } catch (const std::exception& e) {
        console.out.flush();
        console.err << "mailsift: " << e.what() << '\n';
        return exit_code::kServerError;
    }
}

}  // namespace mailsift::client
