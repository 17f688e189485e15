#pragma once

#include <string>

namespace mailsift::plugin_host {

/// What the host knows about one loaded plugin (shown by GET /v1/plugins).
struct PluginInfo {
    std::string name;     ///< dotted name from the descriptor
    std::string kind;     ///< "stage" or "connector"
    std::string version;  ///< the plugin's own version
    int abiMajor = 0;
    int abiMinor = 0;
    std::string file;      ///< file name of the .so (no folder)
    bool enabled = false;  ///< listed in the config (and so instantiated)
};

}  // namespace mailsift::plugin_host
