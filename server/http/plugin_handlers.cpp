#include "http/plugin_handlers.h"

#include "http/plugin_json.h"

namespace mailsift::http {

void registerPluginRoutes(Router& router, PluginListProvider plugins) {
    router.add("GET", "/v1/plugins", [plugins = std::move(plugins)](RequestContext& ctx) {
        const std::vector<plugin_host::PluginInfo> loaded =
            plugins ? plugins() : std::vector<plugin_host::PluginInfo>{};
        ctx.sendJson(200, pluginsToJson(loaded));
    });
}

}  // namespace mailsift::http
