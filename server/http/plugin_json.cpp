#include "http/plugin_json.h"

#include <string>

namespace mailsift::http {

Poco::JSON::Object::Ptr pluginToJson(const plugin_host::PluginInfo& plugin) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("name", plugin.name);
    object->set("kind", plugin.kind);
    object->set("version", plugin.version);
    object->set("abi", std::to_string(plugin.abiMajor) + "." + std::to_string(plugin.abiMinor));
    object->set("file", plugin.file);
    object->set("enabled", plugin.enabled);
    return object;
}

Poco::JSON::Array::Ptr pluginsToJson(const std::vector<plugin_host::PluginInfo>& plugins) {
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& plugin : plugins) {
        array->add(pluginToJson(plugin));
    }
    return array;
}

}  // namespace mailsift::http
