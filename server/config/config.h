#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mailsift::config {

struct TlsConfig {
    std::string certificate;  ///< PEM file; TLS is on when both files are set
    std::string privateKey;   ///< PEM file
    bool enabled() const { return !certificate.empty() && !privateKey.empty(); }
};

/// Per API key token bucket: `requestsPerSecond` refill, `burst` tokens at most; 0 = no limit.
/// /healthz, /readyz and /metrics are never limited (they need no key).
struct RateLimitConfig {
    int requestsPerSecond = 50;
    int burst = 200;
    bool enabled() const { return requestsPerSecond > 0; }
};

struct HttpConfig {
    std::string address = "0.0.0.0";
    std::uint16_t port = 8080;
    int threads = 16;                         ///< worker threads serving requests
    int maxQueued = 256;                      ///< accepted connections waiting for a thread
    std::int64_t maxBodyBytes = 256LL << 20;  ///< larger bodies answer 413
    int timeoutMs = 30000;                    ///< socket send/receive timeout per operation
    int keepAliveTimeoutMs = 10000;
    int maxKeepAliveRequests = 10;  ///< then the connection closes and frees its thread; 0 = no cap
    int headerTimeoutMs = 10000;    ///< a request's headers must be complete within this
    std::int64_t minBodyBytesPerSecond = 1024;  ///< slower bodies are cut (after headerTimeoutMs)
    /// A response the client takes no byte of for this long (while bytes wait for it) is cut.
    int sendTimeoutMs = 30000;
    /// A response taken slower than this, over each sendTimeoutMs of waiting on the client, is
    /// cut; 0 = no floor.
    std::int64_t minResponseBytesPerSecond = 16384;
    int shutdownGraceMs = 10000;  ///< requests in progress may finish for this long at stop
    RateLimitConfig rateLimit;
    TlsConfig tls;
    std::string webRoot;  ///< dashboard files served at /; "" = share/mailsift/web by the binary
};

struct StoreConfig {
    std::string url =
        "sqlite://data/mailsift.db";  ///< sqlite://PATH or mysql://user:pass@host:port/db
    int poolSize = 8;                 ///< connections kept open (MySQL) or sessions (SQLite)
    int busyTimeoutMs = 5000;         ///< SQLite busy wait / MySQL connect timeout
};

/// One plugin to load, in pipeline order, with its own config block (as JSON text).
struct PluginEntry {
    std::string name;  ///< dotted plugin name, e.g. mailsift.stage.syntax
    std::string configJson = "{}";
};

struct PluginsConfig {
    std::string dir;  ///< folder of plugin .so files; "" = the folder installed beside the binary
    std::vector<PluginEntry> stages;
    std::vector<PluginEntry> connectors;
};

/// Limits on what clients may ask for. Later issues add their keys here (rows per job, rates).
struct LimitsConfig {
    int syncMaxEmails = 100;    ///< addresses per POST /v1/email/validate
    int syncTimeoutMs = 30000;  ///< sync checks still running then answer unverified
    std::int64_t maxUploadBytes = 256LL << 20;  ///< a job's uploaded file; larger answers 413
    std::int64_t maxRowsPerJob = 5'000'000;     ///< rows of one job; more answers 413
};

/// Validation jobs and the workers that run them (DESIGN section 5).
struct JobsConfig {
    int workers = 4;                         ///< chunk workers in this process (0 = API only)
    std::int64_t chunkSize = 1000;           ///< rows per chunk
    int ingestBatchRows = 10000;             ///< rows written per store transaction while ingesting
    int ingestWriters = 2;                   ///< batches of one upload written at once
    int leaseTtlMs = 60000;                  ///< a lease not renewed for this long is taken over
    int heartbeatMs = 15000;                 ///< how often a worker renews its lease
    int pollMs = 500;                        ///< idle workers look for work this often
    int maxAttempts = 5;                     ///< leases of one chunk before the job fails
    int chunkTimeoutMs = 600000;             ///< validation deadline of one chunk
    std::string spoolDir = "../data/spool";  ///< uploads whose `source` field comes after the file
    int shutdownGraceMs =
        5000;  ///< chunks in flight may finish for this long at stop, then go back
};

/// Webhook delivery (DESIGN section 8): timeouts, retries with back-off, target policy.
struct WebhooksConfig {
    int timeoutMs = 10000;             ///< no answer within this is a failed attempt
    int maxAttempts = 8;               ///< attempts of one delivery before it is given up
    int retryInitialMs = 60000;        ///< delay before the 2nd attempt
    int retryMultiplier = 3;           ///< each later delay is this many times the previous one
    int retryMaxMs = 43'200'000;       ///< no delay is longer than this
    int retryJitterPercent = 20;       ///< each delay is moved randomly by up to this much
    bool allowPrivateTargets = false;  ///< allow targets on private, loopback, link-local addresses
    int pollMs = 1000;                 ///< idle dispatchers look for due deliveries this often
    int concurrency = 4;               ///< deliveries sent at once by this process (0 = none)
    std::string caFile;  ///< PEM CAs trusted for HTTPS targets besides the system's; "" = none
};

struct LoggingConfig {
    std::string level = "information";  ///< trace, debug, information, notice, warning, error
    std::string format = "text";        ///< text or json
    std::string file;                   ///< "" = standard error
};

/// Stored connections to outside services (DESIGN section 9).
struct IntegrationsConfig {
    std::string secretKeyFile;  ///< key file used when MAILSIFT_SECRET_KEY is unset; "" = none
    int importPageRetries = 5;  ///< times one page is tried (429, 5xx, network) before a job fails
};

struct BootstrapConfig {
    std::string account = "default";  ///< account created (with one key) on the first start
};

struct Config {
    std::string
        sourcePath;  ///< the YAML file this came from; relative paths are taken from its folder
    HttpConfig http;
    StoreConfig store;
    PluginsConfig plugins;
    LimitsConfig limits;
    JobsConfig jobs;
    WebhooksConfig webhooks;
    LoggingConfig logging;
    BootstrapConfig bootstrap;
    IntegrationsConfig integrations;

    /// `path` made absolute against the config file's folder (absolute paths are returned as is).
    std::string resolvePath(const std::string& path) const;
};

}  // namespace mailsift::config
