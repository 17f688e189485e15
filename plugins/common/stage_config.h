#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace mailsift::stages {

/// The JSON config block of one stage, checked against the keys the stage knows.
/// Construction throws std::invalid_argument naming the plugin and the key when the text is not
/// a JSON object, a key is unknown or a value has the wrong type; the plugin host then refuses
/// to start with that sentence.
class StageConfig {
  public:
    enum class Type { string, boolean, integer };
    struct Key {
        std::string_view name;
        Type type;
    };

    StageConfig(std::string_view pluginName, std::string_view json,
                std::initializer_list<Key> keys);

    /// The value of `key`, or `fallback` when the config does not set it.
    std::string string(std::string_view key, std::string_view fallback) const;
    bool boolean(std::string_view key, bool fallback) const;
    std::int64_t integer(std::string_view key, std::int64_t fallback) const;
    bool has(std::string_view key) const { return values_.find(key) != values_.end(); }

    /// "<plugin>: config key <key> " — the start of a sentence about a bad value.
    std::string about(std::string_view key) const;

  private:
    std::string pluginName_;
    std::map<std::string, std::variant<std::string, bool, std::int64_t>, std::less<>> values_;
};

}  // namespace mailsift::stages
