#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <set>
#include <string>

#include "config/env_substitution.h"

namespace mailsift::config {

/// Reads one YAML mapping key by key, remembering which keys were read, so that `finish()` can
/// refuse the ones nobody asked for. Every error names the key's full YAML path.
class YamlReader {
  public:
    /// `node` may be absent (all defaults) or a mapping; anything else is a ConfigError.
    YamlReader(const YAML::Node& node, std::string path, const EnvLookup& env);

    void read(const char* key, std::string& out);
    void read(const char* key, bool& out);
    void read(const char* key, int& out, int min, int max);
    void read(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max);
    void read(const char* key, std::uint16_t& out);
    void readChoice(const char* key, std::string& out, std::initializer_list<const char*> allowed);
    /// The child node for a nested block (marked as read); an undefined node when absent.
    YAML::Node child(const char* key);
    /// The full path of a key below this mapping, for messages.
    std::string pathOf(const std::string& key) const;
    const EnvLookup& env() const { return env_; }

    /// Throws ConfigError for the first key that was present but never read.
    void finish() const;

  private:
    /// The scalar at `key` with ${ENV} substituted, or false when the key is absent.
    bool scalar(const char* key, std::string& out);

    YAML::Node node_;
    std::string path_;
    const EnvLookup& env_;
    std::set<std::string> read_;
};

/// Converts a YAML value (a plugin's config block) to JSON text, substituting ${ENV} in scalars.
/// Plain scalars that look like booleans, numbers or null become those; quoted ones stay strings.
std::string yamlToJson(const YAML::Node& node, const std::string& path, const EnvLookup& env);

}  // namespace mailsift::config
