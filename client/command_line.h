#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mailsift::client {

/// The command line split into words and options. Options may come anywhere (`--name value`,
/// `--name=value`, `-o FILE`); `--` ends them. Which options a command accepts is checked by the
/// command, with CommandLine::allowOnly.
class CommandLine {
  public:
    /// Throws ClientError (usage) for an unknown option or a value option without its value.
    static CommandLine parse(int argc, char** argv);

    const std::vector<std::string>& words() const { return words_; }
    bool flag(const std::string& name) const { return flags_.count(name) > 0; }
    std::optional<std::string> value(const std::string& name) const;
    std::vector<std::string> values(const std::string& name) const;
    bool has(const std::string& name) const { return flag(name) || values_.count(name) > 0; }

    /// Throws ClientError (usage) naming the first option given that `command` does not take.
    void allowOnly(const std::string& command, const std::vector<std::string>& names) const;

  private:
    std::vector<std::string> words_;
    std::map<std::string, int> flags_;
    std::multimap<std::string, std::string> values_;
};

}  // namespace mailsift::client
