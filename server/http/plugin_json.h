#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <vector>

#include "plugin_host/plugin_info.h"

namespace mailsift::http {

/// {"name", "kind", "version", "abi": "<major>.<minor>", "file", "enabled"} for GET /v1/plugins.
Poco::JSON::Object::Ptr pluginToJson(const plugin_host::PluginInfo& plugin);

/// A JSON array of plugin objects, in the given order.
Poco::JSON::Array::Ptr pluginsToJson(const std::vector<plugin_host::PluginInfo>& plugins);

}  // namespace mailsift::http
