#pragma once

#include <Poco/Logger.h>

#include <memory>
#include <string>

#include "config/config.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_host.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace mailsift::testing {

/// A real SQLite store in a temp folder plus the production plugin host with the connectors (and,
/// when asked, the syntax and lists stages) loaded from the build's plugin folder.
class JobTestEnv {
  public:
    explicit JobTestEnv(bool withStages = false);
    ~JobTestEnv();

    store::Store& store() { return *store_; }
    plugin_host::PluginHost& plugins() { return *plugins_; }
    plugin_host::PluginHostApi& hostApi() { return api_; }
    Connector* connector(std::string_view name) const { return plugins_->connector(name); }
    /// A new account id.
    store::Id account(const std::string& name);

  private:
    TempDir dir_;
    std::unique_ptr<store::Store> store_;
    plugin_host::PluginHostApi api_;
    std::unique_ptr<plugin_host::PluginHost> plugins_;
};

}  // namespace mailsift::testing
