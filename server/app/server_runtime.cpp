#include "app/server_runtime.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "config/config_error.h"
#include "http/api_keys.h"
#include "http/routes.h"
#include "http/static_files.h"
#include "store/store_factory.h"

namespace mailsift::app {
namespace {

std::string executableFolder() {
    std::error_code ec;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : self.parent_path().string();
}

std::string configFolder(const config::Config& config) {
    return std::filesystem::path(config.resolvePath("x")).parent_path().string();
}

/// The key that seals integration credentials: MAILSIFT_SECRET_KEY, else the configured file.
std::optional<integrations::CredentialCipher::Key> integrationKey(const config::Config& config,
                                                                  Poco::Logger& log) {
    const std::string file = config.integrations.secretKeyFile.empty()
                                 ? std::string()
                                 : config.resolvePath(config.integrations.secretKeyFile);
    std::optional<integrations::CredentialCipher::Key> key;
    try {
        key = integrations::loadKey(std::getenv("MAILSIFT_SECRET_KEY"), file);
    } catch (const std::runtime_error& e) {
        throw config::ConfigError(e.what());
    }
    if (!key) {
        log.warning(
            "integrations: no secret key (MAILSIFT_SECRET_KEY or integrations.secret_key_file); "
            "/v1/integrations answers 503");
    }
    return key;
}

config::PluginsConfig resolvedPlugins(const config::Config& config) {
    config::PluginsConfig plugins = config.plugins;
    plugins.dir = pluginFolder(config);
    return plugins;
}

}  // namespace

std::unique_ptr<store::Store> openMigratedStore(const config::Config& config, Poco::Logger& log) {
    auto store = store::openStore(config.store, configFolder(config));
    const int applied = store->migrate();
    log.information("store: %s, schema version %d (%d migration(s) applied now)", store->backend(),
                    store->schemaVersion(), applied);
    return store;
}

std::string pluginFolder(const config::Config& config) {
    if (!config.plugins.dir.empty())
        return config.resolvePath(config.plugins.dir);
    return (std::filesystem::path(executableFolder()) / ".." / "lib" / "mailsift" / "plugins")
        .lexically_normal()
        .string();
}

std::string dashboardFolder(const config::Config& config) {
    if (!config.http.webRoot.empty())
        return config.resolvePath(config.http.webRoot);
    return (std::filesystem::path(executableFolder()) / ".." / "share" / "mailsift" / "web")
        .lexically_normal()
        .string();
}

ServerRuntime::ServerRuntime(const config::Config& config)
    : config_(config),
      log_(Poco::Logger::get("mailsift")),
      store_(openMigratedStore(config, log_)),
      hostApi_(Poco::Logger::get("mailsift.plugins"), configFolder(config)),
      shutdown_(log_) {
    plugins_ = std::make_unique<plugin_host::PluginHost>(hostApi_, resolvedPlugins(config));
    plugins_->load();
    log_.information("plugins: %?d stage(s) and %?d connector(s) configured from %s",
                     config.plugins.stages.size(), config.plugins.connectors.size(),
                     pluginFolder(config));
    std::vector<std::string> stageNames;
    for (const auto& entry : config.plugins.stages)
        stageNames.push_back(entry.name);
    pipeline_ = std::make_unique<engine::Pipeline>(plugins_->stages(), std::move(stageNames),
                                                   hostApi_, Poco::Logger::get("mailsift.engine"));
    validator_ = std::make_unique<engine::Validator>(*pipeline_);
    scheduler_ = std::make_unique<scheduler::Scheduler>(*store_, *validator_, config.jobs, metrics_,
                                                        Poco::Logger::get("mailsift.scheduler"),
                                                        scheduler::Scheduler::makeNodeId());
    config::WebhooksConfig webhookConfig = config.webhooks;
    if (!webhookConfig.caFile.empty())
        webhookConfig.caFile = config.resolvePath(webhookConfig.caFile);
    try {
        webhooks_ = std::make_unique<webhooks::Dispatcher>(*store_, webhookConfig, metrics_,
                                                           Poco::Logger::get("mailsift.webhooks"),
                                                           scheduler::Scheduler::makeNodeId());
    } catch (const std::runtime_error& e) {
        throw config::ConfigError(e.what());
    }
    integrations_ =
        std::make_unique<integrations::IntegrationService>(*store_, integrationKey(config, log_));
    jobs::JobServiceOptions jobOptions;
    jobOptions.chunkSize = config.jobs.chunkSize;
    jobOptions.ingestBatchRows = static_cast<std::size_t>(config.jobs.ingestBatchRows);
    jobOptions.ingestWriters = static_cast<std::size_t>(config.jobs.ingestWriters);
    jobOptions.maxRowsPerJob = config.limits.maxRowsPerJob;
    jobs_ = std::make_unique<jobs::JobService>(
        *store_, [this](std::string_view name) { return plugins_->connector(name); }, jobOptions,
        [this] {
            scheduler_->notify();
            if (importer_)
                importer_->notify();
        });
    jobs_->setIntegrations(integrations_.get());
    importer_ = std::make_unique<scheduler::ImportWorker>(
        *store_, *integrations_,
        [this](std::string_view name) { return plugins_->connector(name); }, config.jobs,
        config.limits.maxRowsPerJob, Poco::Logger::get("mailsift.integrations"),
        scheduler_->nodeId() + "/import", [this] { scheduler_->notify(); });
    const http::SyncValidationLimits syncLimits{
        config.limits.syncMaxEmails, std::chrono::milliseconds(config.limits.syncTimeoutMs)};
    const http::JobUploadOptions jobUploads{config.limits.maxUploadBytes,
                                            config.resolvePath(config.jobs.spoolDir)};
    const std::string webRoot = dashboardFolder(config);
    if (http::StaticFiles(webRoot).contains("index.html"))
        log_.information("dashboard: serving %s at /", webRoot);
    else
        log_.warning(
            "dashboard: %s has no index.html, so / answers 404; set http.web_root to "
            "the folder of the web/ files",
            webRoot);
    http::registerRoutes(
        router_, http::Services{*store_, *jobs_, metrics_, [this] { return plugins_->list(); },
                                *validator_, syncLimits, jobUploads, webRoot, integrations_.get()});
    config::HttpConfig httpConfig = config.http;
    if (httpConfig.tls.enabled()) {
        httpConfig.tls.certificate = config.resolvePath(httpConfig.tls.certificate);
        httpConfig.tls.privateKey = config.resolvePath(httpConfig.tls.privateKey);
    }
    http_ = std::make_unique<http::HttpServer>(httpConfig, router_, metrics_,
                                               Poco::Logger::get("mailsift.http"));

    // The shutdown order: no new requests, then no new import pages (the page in flight is stored
    // or dropped with its lease), then no new chunks (in-flight ones finish or go back), then the
    // webhook sends in flight finish and record their outcome, then the store closes.
    shutdown_.add("http listener", [this] {
        if (http_->running())
            http_->stop();
    });
    shutdown_.add("integration imports", [this] { importer_->stop(); });
    shutdown_.add("job workers", [this] {
        scheduler_->stop(std::chrono::milliseconds(config_.jobs.shutdownGraceMs));
    });
    shutdown_.add("webhook dispatcher", [this] { webhooks_->stop(); });
    shutdown_.add("store", [this] { store_.reset(); });
}

ServerRuntime::~ServerRuntime() {
    stop();
}

std::string ServerRuntime::bootstrapAccount() {
    if (store_->countAccounts() > 0)
        return "";
    const auto now = std::chrono::system_clock::now();
    store::Account account;
    try {
        account = store_->createAccount(config_.bootstrap.account, now);
    } catch (const store::StoreConflict&) {
        return "";  // another process bootstrapped the same store a moment ago
    }
    log_.notice("created account '%s' (id %?d) with its first API key", account.name, account.id);
    return http::issueApiKey(*store_, account.id, now).key;
}

void ServerRuntime::start() {
    http_->start();
    log_.notice("listening on %s://%s:%?d", std::string(http_->tls() ? "https" : "http"),
                config_.http.address, http_->port());
    scheduler_->start();
    webhooks_->start();
    importer_->start();
}

bool ServerRuntime::stop() {
    return shutdown_.run();
}

}  // namespace mailsift::app
