#include "command_line.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "client_error.h"

namespace mailsift::client {
namespace {

constexpr std::array<std::string_view, 11> kValueOptions = {"url",   "key",    "ca-file", "label",
                                                            "input", "filter", "output",  "pos",
                                                            "limit", "source", "interval"};
constexpr std::array<std::string_view, 4> kFlags = {"json", "watch", "help", "no-progress"};

bool isOneOf(std::string_view name, const auto& names) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

CommandLine CommandLine::parse(int argc, char** argv) {
    CommandLine line;
    bool optionsEnded = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
            line.words_.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        std::string name;
        std::optional<std::string> inlineValue;
        if (arg == "-o") {
            name = "output";
        } else if (arg == "-h") {
            name = "help";
        } else if (arg.rfind("--", 0) == 0) {
            name = arg.substr(2);
            if (const auto equals = name.find('='); equals != std::string::npos) {
                inlineValue = name.substr(equals + 1);
                name.resize(equals);
            }
        } else {
            throw ClientError(exit_code::kUsage,
                              "Unknown option " + arg + "; see mailsift --help.");
        }
        if (isOneOf(name, kFlags)) {
            if (inlineValue)
                throw ClientError(exit_code::kUsage, "--" + name + " takes no value.");
            ++line.flags_[name];
        } else if (isOneOf(name, kValueOptions)) {
            if (!inlineValue) {
                if (i + 1 >= argc)
                    throw ClientError(exit_code::kUsage, "--" + name + " needs a value.");
                inlineValue = argv[++i];
            }
            line.values_.emplace(name, *inlineValue);
        } else {
            throw ClientError(exit_code::kUsage,
                              "Unknown option " + arg + "; see mailsift --help.");
        }
    }
    return line;
}

std::optional<std::string> CommandLine::value(const std::string& name) const {
    const auto range = values_.equal_range(name);
    if (range.first == range.second)
        return std::nullopt;
    return std::prev(range.second)->second;  // the last one given wins
}

std::vector<std::string> CommandLine::values(const std::string& name) const {
    std::vector<std::string> all;
    const auto range = values_.equal_range(name);
    for (auto it = range.first; it != range.second; ++it)
        all.push_back(it->second);
    return all;
}

void CommandLine::allowOnly(const std::string& command,
                            const std::vector<std::string>& names) const {
    static const std::vector<std::string> kEverywhere = {"url", "key", "ca-file", "help"};
    auto check = [&](const std::string& name) {
        if (!isOneOf(name, names) && !isOneOf(name, kEverywhere)) {
            throw ClientError(exit_code::kUsage, "mailsift " + command + " takes no --" + name +
                                                     "; see mailsift " + command + " --help.");
        }
    };
    for (const auto& [name, count] : flags_)
        check(name);
    for (const auto& [name, value] : values_)
        check(name);
}

}  // namespace mailsift::client
