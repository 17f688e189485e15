#pragma once

#include <Poco/Logger.h>

#include <memory>

#include "app/shutdown_sequence.h"
#include "config/config.h"
#include "engine/pipeline.h"
#include "engine/validator.h"
#include "http/http_server.h"
#include "http/router.h"
#include "integrations/integration_service.h"
#include "jobs/job_service.h"
#include "metrics/registry.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_host.h"
#include "scheduler/import_worker.h"
#include "scheduler/scheduler.h"
#include "store/store.h"
#include "webhooks/dispatcher.h"

namespace mailsift::app {

/// Opens the configured store and applies pending migrations; logs what it did.
std::unique_ptr<store::Store> openMigratedStore(const config::Config& config, Poco::Logger& log);

/// The folder plugins are loaded from: plugins.dir resolved against the config file, or, when
/// empty, lib/mailsift/plugins beside the folder of this executable.
std::string pluginFolder(const config::Config& config);

/// The folder of the web dashboard: http.web_root resolved against the config file, or, when
/// empty, share/mailsift/web beside the folder of this executable (where the build and
/// `cmake --install` put the files of web/).
std::string dashboardFolder(const config::Config& config);

/// The composition root of `serve`: every component, built in dependency order from the config
/// and torn down in reverse. Constructing it opens the store, migrates, loads the plugins and
/// builds the route table; start() opens the listener.
class ServerRuntime {
  public:
    explicit ServerRuntime(const config::Config& config);
    ~ServerRuntime();

    /// Creates the bootstrap account and its first key when the store has no account yet;
    /// returns the new key ("" when accounts exist already).
    std::string bootstrapAccount();
    /// Opens the listener, then starts the job workers.
    void start();
    /// Runs the shutdown sequence once: the listener stops accepting and lets requests in
    /// progress finish (http.shutdown_grace_ms); the job workers stop leasing, and the chunks in
    /// flight finish or, after jobs.shutdown_grace_ms, go back to the store for the next worker;
    /// then the other background services; then the store closes. True when every step stopped
    /// cleanly.
    bool stop();
    std::uint16_t port() const { return http_->port(); }

  private:
    const config::Config& config_;
    Poco::Logger& log_;
    metrics::Registry metrics_;
    std::unique_ptr<store::Store> store_;
    plugin_host::PluginHostApi hostApi_;
    std::unique_ptr<plugin_host::PluginHost> plugins_;
    std::unique_ptr<engine::Pipeline> pipeline_;
    std::unique_ptr<engine::Validator> validator_;
    std::unique_ptr<scheduler::Scheduler> scheduler_;
    std::unique_ptr<integrations::IntegrationService> integrations_;
    std::unique_ptr<jobs::JobService> jobs_;
    std::unique_ptr<webhooks::Dispatcher> webhooks_;
    std::unique_ptr<scheduler::ImportWorker> importer_;
    http::Router router_;
    std::unique_ptr<http::HttpServer> http_;
    ShutdownSequence shutdown_;  ///< steps added in the constructor, in the order they run
};

}  // namespace mailsift::app
