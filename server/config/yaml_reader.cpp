#include "config/yaml_reader.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <charconv>
#include <sstream>
#include <vector>

#include "config/config_error.h"

namespace mailsift::config {
namespace {

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

/// The text of a mapping key; ConfigError for a key that is not a plain scalar (a list, a
/// mapping, or an empty key such as a lone tag), which yaml-cpp would refuse with its own
/// exception.
std::string keyText(const YAML::Node& key, const std::string& path) {
    if (!key.IsScalar())
        throw ConfigError((path.empty() ? std::string("the config") : path) +
                          ": every key must be a plain name; found a key that is empty, a list "
                          "or a mapping");
    return key.Scalar();
}

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

template <class Int>
bool parseInt(const std::string& text, Int& out) {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

Poco::Dynamic::Var toVar(const YAML::Node& node, const std::string& path, const EnvLookup& env) {
    switch (node.Type()) {
        case YAML::NodeType::Map: {
            Poco::JSON::Object::Ptr object = new Poco::JSON::Object;
            for (const auto& entry : node) {
                const std::string key = keyText(entry.first, path);
                object->set(key, toVar(entry.second, join(path, key), env));
            }
            return object;
        }
        case YAML::NodeType::Sequence: {
            Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
            for (std::size_t i = 0; i < node.size(); ++i) {
                array->add(toVar(node[i], path + "[" + std::to_string(i) + "]", env));
            }
            return array;
        }
        case YAML::NodeType::Scalar: {
            std::string text;
            try {
                text = substituteEnv(node.Scalar(), env);
            } catch (const std::invalid_argument& e) {
                throw ConfigError(path + ": " + e.what());
            }
            if (node.Tag() == "!")
                return text;  // quoted: always a string
            if (text == "true" || text == "false")
                return text == "true";
            if (text == "null" || text == "~")
                return Poco::Dynamic::Var();
            std::int64_t integer = 0;
            if (parseInt(text, integer))
                return integer;
            try {
                std::size_t used = 0;
                const double real = std::stod(text, &used);
                if (used == text.size())
                    return real;
            } catch (const std::exception&) {
            }
            return text;
        }
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined:
            return Poco::Dynamic::Var();
    }
    return Poco::Dynamic::Var();
}

}  // namespace

YamlReader::YamlReader(const YAML::Node& node, std::string path, const EnvLookup& env)
    : node_(node), path_(std::move(path)), env_(env) {
    if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
        throw ConfigError((path_.empty() ? std::string("the config") : path_) +
                          ": expected a mapping of keys to values");
    }
}

std::string YamlReader::pathOf(const std::string& key) const {
    return join(path_, key);
}

bool YamlReader::scalar(const char* key, std::string& out) {
    read_.insert(key);
    if (!node_.IsMap())
        return false;
    const YAML::Node value = node_[key];
    if (!value.IsDefined() || value.IsNull())
        return false;
    if (!value.IsScalar())
        throw ConfigError(pathOf(key) + ": expected a single value");
    try {
        out = substituteEnv(value.Scalar(), env_);
    } catch (const std::invalid_argument& e) {
        throw ConfigError(pathOf(key) + ": " + e.what());
    }
    return true;
}

void YamlReader::read(const char* key, std::string& out) {
    std::string text;
    if (scalar(key, text))
        out = text;
}

void YamlReader::read(const char* key, bool& out) {
    std::string text;
    if (!scalar(key, text))
        return;
    if (text == "true" || text == "yes" || text == "on") {
        out = true;
    } else if (text == "false" || text == "no" || text == "off") {
        out = false;
    } else {
        throw ConfigError(pathOf(key) + ": expected true or false, got '" + text + "'");
    }
}

void YamlReader::read(const char* key, std::int64_t& out, std::int64_t min, std::int64_t max) {
    std::string text;
    if (!scalar(key, text))
        return;
    std::int64_t value = 0;
    if (!parseInt(text, value) || value < min || value > max) {
        throw ConfigError(pathOf(key) + ": expected a whole number from " + std::to_string(min) +
                          " to " + std::to_string(max) + ", got '" + text + "'");
    }
    out = value;
}

void YamlReader::read(const char* key, int& out, int min, int max) {
    std::int64_t value = out;
    read(key, value, min, max);
    out = static_cast<int>(value);
}

void YamlReader::read(const char* key, std::uint16_t& out) {
    std::int64_t value = out;
    read(key, value, 0, 65535);
    out = static_cast<std::uint16_t>(value);
}

void YamlReader::readChoice(const char* key, std::string& out,
                            std::initializer_list<const char*> allowed) {
    std::string text;
    if (!scalar(key, text))
        return;
    std::string list;
    for (const char* choice : allowed) {
        if (text == choice) {
            out = text;
            return;
        }
        list += list.empty() ? "" : ", ";
        list += choice;
    }
    throw ConfigError(pathOf(key) + ": expected one of " + list + ", got '" + text + "'");
}

YAML::Node YamlReader::child(const char* key) {
    read_.insert(key);
    if (!node_.IsMap())
        return YAML::Node(YAML::NodeType::Undefined);
    return node_[key];
}

void YamlReader::finish() const {
    if (!node_.IsMap())
        return;
    for (const auto& entry : node_) {
        const std::string key = keyText(entry.first, path_);
        if (read_.count(key))
            continue;
        std::string best;
        std::size_t bestDistance = 3;  // suggest only close spellings
        for (const std::string& known : read_) {
            const std::size_t d = editDistance(key, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        std::ostringstream message;
        message << pathOf(key) << ": unknown key";
        if (!best.empty())
            message << " (did you mean '" << pathOf(best) << "'?)";
        message << "; see config/mailsift.yaml for every key";
        throw ConfigError(message.str());
    }
}

std::string yamlToJson(const YAML::Node& node, const std::string& path, const EnvLookup& env) {
    if (!node.IsDefined() || node.IsNull())
        return "{}";
    if (!node.IsMap())
        throw ConfigError(path + ": expected a mapping of the plugin's settings");
    std::ostringstream out;
    toVar(node, path, env).extract<Poco::JSON::Object::Ptr>()->stringify(out);
    return out.str();
}

}  // namespace mailsift::config
