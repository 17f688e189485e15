#include "app/commands.h"

#include <Poco/Logger.h>
#include <signal.h>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/app.h"
#include "app/server_runtime.h"
#include "http/api_keys.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_host.h"

namespace mailsift::app {
namespace {

Poco::Logger& logger() {
    return Poco::Logger::get("mailsift");
}

std::string isoTime(store::TimePoint t) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::ostringstream out;
    out << std::put_time(&utc, "%Y-%m-%dT%H:%M:%SZ");
    return out.str();
}

/// Blocks SIGTERM and SIGINT in this thread (and so in every thread started after) and waits
/// for one of them.
class TerminationSignals {
  public:
    TerminationSignals() {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
    }
    int wait() {
        int signal = 0;
        sigwait(&set_, &signal);
        return signal;
    }

  private:
    sigset_t set_;
};

}  // namespace

int serveCommand(const config::Config& config) {
    TerminationSignals signals;  // before any thread exists, so all of them inherit the mask
    ServerRuntime runtime(config);
    if (const std::string key = runtime.bootstrapAccount(); !key.empty()) {
        std::cout << "\nmailsift: created account '" << config.bootstrap.account
                  << "' and its first API key. It is shown only this once:\n\n    " << key
                  << "\n\nTry: curl -H \"Authorization: Bearer " << key
                  << "\" http://localhost:" << config.http.port << "/v1/email/validate/job\n"
                  << "Or open http://localhost:" << config.http.port
                  << "/ in a browser and sign in with this key.\n\n"
                  << std::flush;
    }
    runtime.start();
    const int signal = signals.wait();
    logger().notice("received %s, shutting down",
                    std::string(signal == SIGINT ? "SIGINT" : "SIGTERM"));
    if (!runtime.stop()) {
        logger().error("shut down with errors (see above)");
        return kExitFailure;
    }
    logger().notice("shut down cleanly");
    return kExitOk;
}

int keysCreateCommand(const config::Config& config, const std::string& accountName) {
    auto store = openMigratedStore(config, logger());
    const auto now = std::chrono::system_clock::now();
    std::optional<store::Account> account = store->findAccount(accountName);
    if (!account) {
        try {
            account = store->createAccount(accountName, now);
            std::cerr << "mailsift-server: created account '" << accountName << "' (id "
                      << account->id << ")\n";
        } catch (const store::StoreConflict&) {
            account = store->findAccount(accountName);  // created concurrently
        }
    }
    if (!account)
        throw std::runtime_error("account '" + accountName + "' could not be created");
    const http::IssuedKey issued = http::issueApiKey(*store, account->id, now);
    std::cout << issued.key << "\n";
    std::cerr << "mailsift-server: key id " << issued.record.id << " for account '" << accountName
              << "'; it is shown only this once\n";
    return kExitOk;
}

int keysListCommand(const config::Config& config) {
    auto store = openMigratedStore(config, logger());
    std::cout << std::left << std::setw(6) << "ID" << std::setw(20) << "ACCOUNT" << std::setw(16)
              << "KEY PREFIX" << std::setw(22) << "CREATED"
              << "REVOKED\n";
    for (const auto& key : store->listApiKeys()) {
        std::cout << std::left << std::setw(6) << key.id << std::setw(20) << key.accountName
                  << std::setw(16) << ("msk_" + key.lookupId) << std::setw(22)
                  << isoTime(key.createdAt) << (key.revokedAt ? isoTime(*key.revokedAt) : "-")
                  << "\n";
    }
    return kExitOk;
}

int keysRevokeCommand(const config::Config& config, const std::string& idText) {
    store::Id id = 0;
    const auto [end, ec] = std::from_chars(idText.data(), idText.data() + idText.size(), id);
    if (ec != std::errc() || end != idText.data() + idText.size() || id <= 0) {
        std::cerr << "mailsift-server: '" << idText << "' is not a key id; see keys list\n";
        return kExitUsage;
    }
    auto store = openMigratedStore(config, logger());
    if (!store->revokeApiKey(id, std::chrono::system_clock::now())) {
        std::cerr << "mailsift-server: no active key with id " << id << "; see keys list\n";
        return kExitFailure;
    }
    std::cout << "revoked key " << id << "\n";
    return kExitOk;
}

int migrateCommand(const config::Config& config) {
    auto store = openMigratedStore(config, logger());
    std::cout << "schema version " << store->schemaVersion() << "\n";
    return kExitOk;
}

int checkConfigCommand(const config::Config& config) {
    plugin_host::PluginHostApi hostApi(
        Poco::Logger::get("mailsift.plugins"),
        std::filesystem::path(config.resolvePath("x")).parent_path().string());
    config::PluginsConfig plugins = config.plugins;
    plugins.dir = pluginFolder(config);
    plugin_host::PluginHost host(hostApi, plugins);
    host.load();
    std::cout << "config " << config.sourcePath << " is valid; " << config.plugins.stages.size()
              << " stage(s) and " << config.plugins.connectors.size() << " connector(s) load from "
              << plugins.dir << "\n";
    return kExitOk;
}

}  // namespace mailsift::app
