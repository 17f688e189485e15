#include "config/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config_error.h"
#include "config/yaml_reader.h"

namespace mailsift::config {
namespace {

constexpr std::int64_t kMaxBytes = std::int64_t{1} << 40;

void readTls(YamlReader& parent, TlsConfig& tls) {
    YamlReader r(parent.child("tls"), parent.pathOf("tls"), parent.env());
    r.read("certificate", tls.certificate);
    r.read("private_key", tls.privateKey);
    r.finish();
    if (tls.certificate.empty() != tls.privateKey.empty()) {
        throw ConfigError(parent.pathOf("tls") +
                          ": set both certificate and private_key to serve HTTPS, or neither");
    }
}

void readRateLimit(YamlReader& parent, RateLimitConfig& limit) {
    YamlReader r(parent.child("rate_limit"), parent.pathOf("rate_limit"), parent.env());
    r.read("requests_per_second", limit.requestsPerSecond, 0, 1'000'000);
    r.read("burst", limit.burst, 1, 1'000'000);
    r.finish();
}

void readHttp(YamlReader& root, HttpConfig& http) {
    YamlReader r(root.child("http"), "http", root.env());
    r.read("address", http.address);
    r.read("port", http.port);
    r.read("threads", http.threads, 1, 1024);
    r.read("max_queued", http.maxQueued, 1, 100000);
    r.read("max_body_bytes", http.maxBodyBytes, 1024, kMaxBytes);
    r.read("timeout_ms", http.timeoutMs, 100, 3'600'000);
    r.read("keep_alive_timeout_ms", http.keepAliveTimeoutMs, 0, 3'600'000);
    r.read("max_keep_alive_requests", http.maxKeepAliveRequests, 0, 1'000'000);
    r.read("header_timeout_ms", http.headerTimeoutMs, 100, 3'600'000);
    r.read("min_body_bytes_per_second", http.minBodyBytesPerSecond, 0, kMaxBytes);
    r.read("send_timeout_ms", http.sendTimeoutMs, 100, 3'600'000);
    r.read("min_response_bytes_per_second", http.minResponseBytesPerSecond, 0, kMaxBytes);
    r.read("shutdown_grace_ms", http.shutdownGraceMs, 0, 3'600'000);
    readRateLimit(r, http.rateLimit);
    readTls(r, http.tls);
    r.read("web_root", http.webRoot);
    r.finish();
    if (http.address.empty())
        throw ConfigError("http.address: must not be empty");
}

void readStore(YamlReader& root, StoreConfig& store) {
    YamlReader r(root.child("store"), "store", root.env());
    r.read("url", store.url);
    r.read("pool_size", store.poolSize, 1, 256);
    r.read("busy_timeout_ms", store.busyTimeoutMs, 0, 600'000);
    r.finish();
    if (store.url.rfind("sqlite:", 0) != 0 && store.url.rfind("mysql://", 0) != 0) {
        throw ConfigError(
            "store.url: expected sqlite://PATH or mysql://USER:PASSWORD@HOST:PORT/DB, got '" +
            store.url + "'");
    }
}

std::vector<PluginEntry> readPluginList(YamlReader& parent, const char* key) {
    const std::string path = parent.pathOf(key);
    const YAML::Node list = parent.child(key);
    std::vector<PluginEntry> entries;
    if (!list.IsDefined() || list.IsNull())
        return entries;
    if (!list.IsSequence())
        throw ConfigError(path + ": expected a list of plugins");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string itemPath = path + "[" + std::to_string(i) + "]";
        YamlReader r(list[i], itemPath, parent.env());
        PluginEntry entry;
        r.read("name", entry.name);
        entry.configJson = yamlToJson(r.child("config"), itemPath + ".config", parent.env());
        r.finish();
        if (entry.name.empty())
            throw ConfigError(itemPath + ".name: every plugin needs a name");
        if (!seen.insert(entry.name).second) {
            throw ConfigError(itemPath + ".name: plugin '" + entry.name + "' is listed twice");
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

void readPlugins(YamlReader& root, PluginsConfig& plugins) {
    YamlReader r(root.child("plugins"), "plugins", root.env());
    r.read("dir", plugins.dir);
    plugins.stages = readPluginList(r, "stages");
    plugins.connectors = readPluginList(r, "connectors");
    r.finish();
}

void readLimits(YamlReader& root, LimitsConfig& limits) {
    YamlReader r(root.child("limits"), "limits", root.env());
    r.read("sync_max_emails", limits.syncMaxEmails, 1, 100);
    r.read("sync_timeout_ms", limits.syncTimeoutMs, 100, 600'000);
    r.read("max_upload_bytes", limits.maxUploadBytes, 1024, kMaxBytes);
    r.read("max_rows_per_job", limits.maxRowsPerJob, 1, 1'000'000'000);
    r.finish();
}

void readJobs(YamlReader& root, JobsConfig& jobs) {
    YamlReader r(root.child("jobs"), "jobs", root.env());
    r.read("workers", jobs.workers, 0, 1024);
    r.read("chunk_size", jobs.chunkSize, 1, 1'000'000);
    r.read("ingest_batch_rows", jobs.ingestBatchRows, 1, 1'000'000);
    r.read("ingest_writers", jobs.ingestWriters, 1, 16);
    r.read("lease_ttl_ms", jobs.leaseTtlMs, 100, 86'400'000);
    r.read("heartbeat_ms", jobs.heartbeatMs, 50, 86'400'000);
    r.read("poll_ms", jobs.pollMs, 1, 600'000);
    r.read("max_attempts", jobs.maxAttempts, 1, 1000);
    r.read("chunk_timeout_ms", jobs.chunkTimeoutMs, 100, 86'400'000);
    r.read("spool_dir", jobs.spoolDir);
    r.read("shutdown_grace_ms", jobs.shutdownGraceMs, 0, 3'600'000);
    r.finish();
    if (jobs.heartbeatMs >= jobs.leaseTtlMs) {
        throw ConfigError(
            "jobs.heartbeat_ms: must be shorter than jobs.lease_ttl_ms, or leases "
            "expire between heartbeats");
    }
}

void readWebhooks(YamlReader& root, WebhooksConfig& webhooks) {
    YamlReader r(root.child("webhooks"), "webhooks", root.env());
    r.read("timeout_ms", webhooks.timeoutMs, 10, 600'000);
    r.read("max_attempts", webhooks.maxAttempts, 1, 100);
    r.read("retry_initial_ms", webhooks.retryInitialMs, 1, 86'400'000);
    r.read("retry_multiplier", webhooks.retryMultiplier, 1, 100);
    r.read("retry_max_ms", webhooks.retryMaxMs, 1, 604'800'000);
    r.read("retry_jitter_percent", webhooks.retryJitterPercent, 0, 100);
    r.read("allow_private_targets", webhooks.allowPrivateTargets);
    r.read("poll_ms", webhooks.pollMs, 1, 600'000);
    r.read("concurrency", webhooks.concurrency, 0, 256);
    r.read("ca_file", webhooks.caFile);
    r.finish();
    if (webhooks.retryMaxMs < webhooks.retryInitialMs) {
        throw ConfigError(
            "webhooks.retry_max_ms: must be at least webhooks.retry_initial_ms, the first delay");
    }
}

void readLogging(YamlReader& root, LoggingConfig& logging) {
    YamlReader r(root.child("logging"), "logging", root.env());
    r.readChoice("level", logging.level,
                 {"trace", "debug", "information", "notice", "warning", "error", "critical",
                  "fatal", "none"});
    r.readChoice("format", logging.format, {"text", "json"});
    r.read("file", logging.file);
    r.finish();
}

void readBootstrap(YamlReader& root, BootstrapConfig& bootstrap) {
    YamlReader r(root.child("bootstrap"), "bootstrap", root.env());
    r.read("account", bootstrap.account);
    r.finish();
    if (bootstrap.account.empty())
        throw ConfigError("bootstrap.account: must not be empty");
}

void readIntegrations(YamlReader& root, IntegrationsConfig& integrations) {
    YamlReader r(root.child("integrations"), "integrations", root.env());
    r.read("secret_key_file", integrations.secretKeyFile);
    r.read("import_page_retries", integrations.importPageRetries, 1, 100);
    r.finish();
}

}  // namespace

std::string Config::resolvePath(const std::string& path) const {
    const std::filesystem::path p(path);
    if (p.is_absolute() || sourcePath.empty())
        return p.lexically_normal().string();
    const std::filesystem::path base =
        std::filesystem::absolute(std::filesystem::path(sourcePath)).parent_path();
    return (base / p).lexically_normal().string();
}

Config loadConfigText(const std::string& yaml, const std::string& sourcePath) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml);
    } catch (const YAML::Exception& e) {
        throw ConfigError("the config is not valid YAML (line " + std::to_string(e.mark.line + 1) +
                          ", column " + std::to_string(e.mark.column + 1) + "): " + e.msg);
    }
    Config config;
    config.sourcePath = sourcePath;
    const EnvLookup env = processEnv;
    YamlReader r(root, "", env);
    readHttp(r, config.http);
    readStore(r, config.store);
    readPlugins(r, config.plugins);
    readLimits(r, config.limits);
    readJobs(r, config.jobs);
    readWebhooks(r, config.webhooks);
    readLogging(r, config.logging);
    readBootstrap(r, config.bootstrap);
    readIntegrations(r, config.integrations);
    r.finish();
    return config;
}

Config loadConfigFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw ConfigError("cannot read the config file " + path +
                          ": check the path and its permissions");
    std::ostringstream text;
    text << in.rdbuf();
    return loadConfigText(text.str(), path);
}

std::string chooseConfigPath(const std::string& fromFlag) {
    if (!fromFlag.empty())
        return fromFlag;
    if (auto fromEnv = processEnv("MAILSIFT_CONFIG"); fromEnv && !fromEnv->empty())
        return *fromEnv;
    throw ConfigError(
        "no config file named: pass --config FILE or set MAILSIFT_CONFIG "
        "(config/mailsift.yaml lists every key with its default)");
}

}  // namespace mailsift::config
