#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "mailsift/connector.h"
#include "mailsift/host_api.h"
#include "mailsift/validator_stage.h"
#include "plugin_host/plugin_error.h"
#include "plugin_host/plugin_info.h"
#include "plugin_host/plugin_library.h"

namespace mailsift::plugin_host {

/// Loads the plugin files of plugins.dir, checks their ABI and makes one instance of every stage
/// and connector that the config lists, with that entry's config.
///
/// Failure policy of load(): every problem is collected before anything is thrown. A file that is
/// refused (bad descriptor) but not named by the config is logged as a warning through HostApi and
/// kept in refused(): a stray file in the folder must not take the server down. A named plugin that
/// is missing, refused, of the wrong kind, listed twice or whose create fails stops start-up with
/// one PluginLoadError listing every such problem.
///
/// Libraries are never unloaded. The host owns the instances and destroys them, in reverse order of
/// creation, with the plugin's own destroy function when it is destroyed.
class PluginHost {
  public:
    /// `host` is handed to every plugin and must outlive this object. `config.dir` must already be
    /// resolved (absolute, or relative to the working directory); only that folder is searched.
    PluginHost(HostApi& host, const config::PluginsConfig& config);
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// Scans plugins.dir for *.so files (in name order), checks them and instantiates the
    /// configured plugins. Throws PluginLoadError (see the failure policy above); on throw no
    /// instance is left alive. Call once, before any accessor, from one thread.
    void load();

    /// The configured stages in config order. The pointers stay valid as long as this host.
    /// Thread-safe after load().
    const std::vector<ValidatorStage*>& stages() const { return stages_; }

    /// The configured connector with this plugin name, or nullptr when the config does not list
    /// it. Thread-safe after load().
    Connector* connector(std::string_view name) const;

    /// Every accepted plugin file in file-name order; enabled is true for the configured ones.
    std::vector<PluginInfo> list() const;

    /// Files that were refused but not named by the config (logged as warnings by load()).
    const std::vector<PluginError>& refused() const { return refused_; }

  private:
    struct Instance {
        void* object;
        void (*destroy)(void*);
    };

    void scan(std::vector<PluginError>& fatal);
    void instantiate(const config::PluginEntry& entry, std::uint32_t kind, const std::string& path,
                     std::vector<PluginError>& fatal);
    const PluginLibrary* findAccepted(std::string_view name) const;
    /// Moves the refusals of files named `name` into `fatal`, each sentence after `prefix`.
    bool promoteRefusal(const std::string& name, const std::string& prefix,
                        std::vector<PluginError>& fatal);
    std::string unknownNameSentence(const config::PluginEntry& entry,
                                    const std::string& path) const;
    void destroyInstances() noexcept;

    HostApi& host_;
    config::PluginsConfig config_;
    bool loaded_ = false;
    std::vector<PluginLibrary> accepted_;  ///< file-name order
    std::vector<PluginError> refused_;     ///< refused files, not (or not yet) fatal
    std::vector<std::string> listed_;      ///< names the config lists, as seen so far
    std::vector<std::string> configured_;  ///< names instantiated, in creation order
    std::vector<Instance> instances_;      ///< creation order
    std::vector<ValidatorStage*> stages_;  ///< config order
    std::map<std::string, Connector*, std::less<>> connectors_;
};

}  // namespace mailsift::plugin_host
