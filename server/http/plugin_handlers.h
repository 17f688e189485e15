#pragma once

#include <functional>
#include <vector>

#include "http/router.h"
#include "plugin_host/plugin_info.h"

namespace mailsift::http {

/// Returns what the plugin host has loaded, at the time of the call. Called on server threads.
using PluginListProvider = std::function<std::vector<plugin_host::PluginInfo>()>;

/// Registers GET /v1/plugins (ext, auth required): an array of
/// {"name", "kind", "version", "abi", "file", "enabled"}. An empty provider lists nothing.
void registerPluginRoutes(Router& router, PluginListProvider plugins);

}  // namespace mailsift::http
