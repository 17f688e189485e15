#include "common/stage_config.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <stdexcept>

namespace mailsift::stages {

StageConfig::StageConfig(std::string_view pluginName, std::string_view json,
                         std::initializer_list<Key> keys)
    : pluginName_(pluginName) {
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(std::string(json.empty() ? std::string_view("{}") : json));
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument(pluginName_ + ": config is not valid JSON: " + e.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw std::invalid_argument(pluginName_ + ": config must be a JSON object");
    const Poco::JSON::Object::Ptr object = parsed.extract<Poco::JSON::Object::Ptr>();

    for (const auto& [name, value] : *object) {
        const Key* spec = nullptr;
        for (const Key& key : keys) {
            if (key.name == name)
                spec = &key;
        }
        if (spec == nullptr) {
            std::string known;
            for (const Key& key : keys)
                known += (known.empty() ? "" : ", ") + std::string(key.name);
            throw std::invalid_argument(pluginName_ + ": unknown config key '" + name +
                                        "' (known keys: " + known + ")");
        }
        switch (spec->type) {
            case Type::string:
                if (!value.isString())
                    throw std::invalid_argument(about(name) + "must be a string");
                values_.emplace(name, value.extract<std::string>());
                break;
            case Type::boolean:
                if (!value.isBoolean())
                    throw std::invalid_argument(about(name) + "must be true or false");
                values_.emplace(name, value.extract<bool>());
                break;
            case Type::integer:
                if (!value.isInteger())
                    throw std::invalid_argument(about(name) + "must be an integer");
                values_.emplace(name, value.convert<std::int64_t>());
                break;
        }
    }
}

std::string StageConfig::about(std::string_view key) const {
    return pluginName_ + ": config key " + std::string(key) + " ";
}

std::string StageConfig::string(std::string_view key, std::string_view fallback) const {
    const auto it = values_.find(key);
    return it == values_.end() ? std::string(fallback) : std::get<std::string>(it->second);
}

bool StageConfig::boolean(std::string_view key, bool fallback) const {
    const auto it = values_.find(key);
    return it == values_.end() ? fallback : std::get<bool>(it->second);
}

std::int64_t StageConfig::integer(std::string_view key, std::int64_t fallback) const {
    const auto it = values_.find(key);
    return it == values_.end() ? fallback : std::get<std::int64_t>(it->second);
}

}  // namespace mailsift::stages
