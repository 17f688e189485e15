#include "config/config_loader.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include "config/config_error.h"

using mailsift::config::ConfigError;
using mailsift::config::loadConfigFile;
using mailsift::config::loadConfigText;

namespace {

/// The ConfigError message for `yaml`, or "" when it loads.
std::string errorOf(const std::string& yaml) {
    try {
        loadConfigText(yaml, "/etc/mailsift/mailsift.yaml");
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(ConfigLoader, EmptyFileGivesDefaults) {
    const auto c = loadConfigText("", "/etc/mailsift/mailsift.yaml");
    EXPECT_EQ(c.http.port, 8080);
    EXPECT_EQ(c.http.threads, 16);
    EXPECT_EQ(c.store.url, "sqlite://data/mailsift.db");
    EXPECT_EQ(c.limits.syncMaxEmails, 100);
    EXPECT_EQ(c.logging.level, "information");
    EXPECT_FALSE(c.http.tls.enabled());
    EXPECT_EQ(c.http.webRoot, "");
}

TEST(ConfigLoader, ShippedConfigLoadsAndMatchesTheDefaults) {
    unsetenv("MAILSIFT_HTTP_PORT");
    unsetenv("MAILSIFT_STORE_URL");
    unsetenv("MAILSIFT_WEB_ROOT");
    const auto shipped = loadConfigFile(MAILSIFT_SHIPPED_CONFIG);
    const auto defaults = loadConfigText("", "x");
    EXPECT_EQ(shipped.http.port, defaults.http.port);
    EXPECT_EQ(shipped.http.threads, defaults.http.threads);
    EXPECT_EQ(shipped.http.maxQueued, defaults.http.maxQueued);
    EXPECT_EQ(shipped.http.maxBodyBytes, defaults.http.maxBodyBytes);
    EXPECT_EQ(shipped.http.timeoutMs, defaults.http.timeoutMs);
    EXPECT_EQ(shipped.http.keepAliveTimeoutMs, defaults.http.keepAliveTimeoutMs);
    EXPECT_EQ(shipped.http.webRoot, defaults.http.webRoot);
    EXPECT_EQ(shipped.http.maxKeepAliveRequests, defaults.http.maxKeepAliveRequests);
    EXPECT_EQ(shipped.http.headerTimeoutMs, defaults.http.headerTimeoutMs);
    EXPECT_EQ(shipped.http.minBodyBytesPerSecond, defaults.http.minBodyBytesPerSecond);
    EXPECT_EQ(shipped.http.sendTimeoutMs, defaults.http.sendTimeoutMs);
    EXPECT_EQ(shipped.http.minResponseBytesPerSecond, defaults.http.minResponseBytesPerSecond);
    EXPECT_EQ(shipped.http.shutdownGraceMs, defaults.http.shutdownGraceMs);
    EXPECT_EQ(shipped.http.rateLimit.requestsPerSecond, defaults.http.rateLimit.requestsPerSecond);
    EXPECT_EQ(shipped.http.rateLimit.burst, defaults.http.rateLimit.burst);
    EXPECT_EQ(shipped.jobs.shutdownGraceMs, defaults.jobs.shutdownGraceMs);
    EXPECT_EQ(shipped.store.poolSize, defaults.store.poolSize);
    EXPECT_EQ(shipped.store.busyTimeoutMs, defaults.store.busyTimeoutMs);
    EXPECT_EQ(shipped.limits.syncMaxEmails, defaults.limits.syncMaxEmails);
    EXPECT_EQ(shipped.limits.syncTimeoutMs, defaults.limits.syncTimeoutMs);
    EXPECT_EQ(shipped.limits.maxUploadBytes, defaults.limits.maxUploadBytes);
    EXPECT_EQ(shipped.limits.maxRowsPerJob, defaults.limits.maxRowsPerJob);
    EXPECT_EQ(shipped.jobs.workers, defaults.jobs.workers);
    EXPECT_EQ(shipped.jobs.chunkSize, defaults.jobs.chunkSize);
    EXPECT_EQ(shipped.jobs.ingestBatchRows, defaults.jobs.ingestBatchRows);
    EXPECT_EQ(shipped.jobs.ingestWriters, defaults.jobs.ingestWriters);
    EXPECT_EQ(shipped.jobs.leaseTtlMs, defaults.jobs.leaseTtlMs);
    EXPECT_EQ(shipped.jobs.heartbeatMs, defaults.jobs.heartbeatMs);
    EXPECT_EQ(shipped.jobs.pollMs, defaults.jobs.pollMs);
    EXPECT_EQ(shipped.jobs.maxAttempts, defaults.jobs.maxAttempts);
    EXPECT_EQ(shipped.jobs.chunkTimeoutMs, defaults.jobs.chunkTimeoutMs);
    EXPECT_EQ(shipped.jobs.spoolDir, defaults.jobs.spoolDir);
    EXPECT_EQ(shipped.plugins.stages.size(), 5u);
    EXPECT_EQ(shipped.plugins.connectors.size(), 6u);
    EXPECT_EQ(shipped.logging.level, defaults.logging.level);
    EXPECT_EQ(shipped.logging.format, defaults.logging.format);
    EXPECT_EQ(shipped.bootstrap.account, defaults.bootstrap.account);
    EXPECT_EQ(shipped.webhooks.timeoutMs, defaults.webhooks.timeoutMs);
    EXPECT_EQ(shipped.webhooks.maxAttempts, defaults.webhooks.maxAttempts);
    EXPECT_EQ(shipped.webhooks.retryInitialMs, defaults.webhooks.retryInitialMs);
    EXPECT_EQ(shipped.webhooks.retryMultiplier, defaults.webhooks.retryMultiplier);
    EXPECT_EQ(shipped.webhooks.retryMaxMs, defaults.webhooks.retryMaxMs);
    EXPECT_EQ(shipped.webhooks.retryJitterPercent, defaults.webhooks.retryJitterPercent);
    EXPECT_EQ(shipped.webhooks.allowPrivateTargets, defaults.webhooks.allowPrivateTargets);
    EXPECT_EQ(shipped.webhooks.pollMs, defaults.webhooks.pollMs);
    EXPECT_EQ(shipped.webhooks.concurrency, defaults.webhooks.concurrency);
    EXPECT_EQ(shipped.webhooks.caFile, defaults.webhooks.caFile);
}

TEST(ConfigLoader, WebhooksBlockIsReadAndChecked) {
    const auto c = loadConfigText(
        "webhooks:\n  timeout_ms: 500\n  max_attempts: 3\n  retry_initial_ms: 100\n"
        "  retry_multiplier: 2\n  retry_max_ms: 1000\n  retry_jitter_percent: 0\n"
        "  allow_private_targets: true\n  poll_ms: 20\n  concurrency: 2\n",
        "/etc/mailsift/mailsift.yaml");
    EXPECT_EQ(c.webhooks.timeoutMs, 500);
    EXPECT_EQ(c.webhooks.maxAttempts, 3);
    EXPECT_EQ(c.webhooks.retryInitialMs, 100);
    EXPECT_EQ(c.webhooks.retryMultiplier, 2);
    EXPECT_EQ(c.webhooks.retryMaxMs, 1000);
    EXPECT_EQ(c.webhooks.retryJitterPercent, 0);
    EXPECT_TRUE(c.webhooks.allowPrivateTargets);
    EXPECT_EQ(c.webhooks.pollMs, 20);
    EXPECT_EQ(c.webhooks.concurrency, 2);
    EXPECT_TRUE(c.webhooks.caFile.empty());
    EXPECT_EQ(loadConfigText("webhooks:\n  ca_file: certs/ca.pem\n", "/etc/mailsift/mailsift.yaml")
                  .webhooks.caFile,
              "certs/ca.pem");
    EXPECT_NE(errorOf("webhooks:\n  retry_initial_ms: 5000\n  retry_max_ms: 1000\n")
                  .find("webhooks.retry_max_ms"),
              std::string::npos);
    EXPECT_NE(errorOf("webhooks:\n  max_attempts: 0\n").find("webhooks.max_attempts"),
              std::string::npos);
    EXPECT_NE(errorOf("webhooks:\n  allow_private: true\n").find("webhooks.allow_private"),
              std::string::npos);
}

TEST(ConfigLoader, ReadsEveryBlock) {
    const auto c = loadConfigText(R"(
http:
  address: 127.0.0.1
  port: 9000
  threads: 4
  max_body_bytes: 2048
  tls: {certificate: cert.pem, private_key: key.pem}
  web_root: web
store:
  url: mysql://u:p@127.0.0.1:3306/db
  pool_size: 3
plugins:
  dir: plugins
  stages:
    - name: mailsift.stage.syntax
    - name: mailsift.stage.smtp
      config: {port: 2525, helo: "probe.example", pipelining: true, servers: [a, b]}
limits: {sync_max_emails: 10}
logging: {level: debug, format: json}
)",
                                  "/etc/mailsift/mailsift.yaml");
    EXPECT_EQ(c.http.address, "127.0.0.1");
    EXPECT_EQ(c.http.port, 9000);
    EXPECT_EQ(c.http.maxBodyBytes, 2048);
    EXPECT_TRUE(c.http.tls.enabled());
    EXPECT_EQ(c.store.poolSize, 3);
    ASSERT_EQ(c.plugins.stages.size(), 2u);
    EXPECT_EQ(c.plugins.stages[0].name, "mailsift.stage.syntax");
    EXPECT_EQ(c.plugins.stages[0].configJson, "{}");
    auto smtp = Poco::JSON::Parser()
                    .parse(c.plugins.stages[1].configJson)
                    .extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(smtp->getValue<int>("port"), 2525);
    EXPECT_EQ(smtp->getValue<std::string>("helo"), "probe.example");
    EXPECT_TRUE(smtp->getValue<bool>("pipelining"));
    EXPECT_EQ(smtp->getArray("servers")->size(), 2u);
    EXPECT_EQ(c.limits.syncMaxEmails, 10);
    EXPECT_EQ(c.logging.format, "json");
    EXPECT_EQ(c.resolvePath(c.plugins.dir), "/etc/mailsift/plugins");
    EXPECT_EQ(c.resolvePath("/abs/x"), "/abs/x");
    EXPECT_EQ(c.http.webRoot, "web");
}

TEST(ConfigLoader, MisspeltKeyIsNamedWithSuggestion) {
    const std::string e = errorOf("http:\n  prot: 80\n");
    EXPECT_NE(e.find("http.prot: unknown key"), std::string::npos) << e;
    EXPECT_NE(e.find("did you mean 'http.port'"), std::string::npos) << e;
}

TEST(ConfigLoader, UnknownTopLevelBlockIsRefused) {
    EXPECT_NE(errorOf("htp:\n  port: 80\n").find("htp: unknown key"), std::string::npos);
}

TEST(ConfigLoader, KeysThatAreNotNamesAreRefused) {
    // Found by the yaml_config fuzzer: these escaped as yaml-cpp's own exception.
    EXPECT_NE(errorOf("plugins:\n  stages:\n    - name: a\n      config: {x: 1, !t: [1]}\n")
                  .find("plugins.stages[0].config: every key must be a plain name"),
              std::string::npos);
    EXPECT_NE(errorOf("? [a, b]\n: 1\n").find("every key must be a plain name"), std::string::npos);
    EXPECT_NE(errorOf("http:\n  ~: 1\n").find("http: every key must be a plain name"),
              std::string::npos);
}

TEST(ConfigLoader, ControlCharactersInKeysAreShownEscaped) {
    // Found by the yaml_config fuzzer: a key starting with NUL made an error message that printed
    // as nothing. Keys from the file are shown with control characters as \xNN.
    const std::string e = errorOf(std::string("\"\\0\\x1b[2Jstore\": 1\n"));
    EXPECT_EQ(e.rfind("\\x00\\x1b[2Jstore: unknown key", 0), 0u) << e;
}

TEST(ConfigLoader, UnknownKeyInPluginEntryIsRefused) {
    const std::string e = errorOf("plugins:\n  stages:\n    - name: a\n      confg: {}\n");
    EXPECT_NE(e.find("plugins.stages[0].confg: unknown key"), std::string::npos) << e;
}

TEST(ConfigLoader, BadValuesNameKeyAndReason) {
    EXPECT_NE(errorOf("http: {port: eighty}")
                  .find("http.port: expected a whole number from 0 to 65535, got 'eighty'"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {port: 70000}").find("http.port"), std::string::npos);
    EXPECT_NE(errorOf("http: {threads: 0}").find("http.threads"), std::string::npos);
    EXPECT_NE(errorOf("logging: {level: loud}").find("logging.level: expected one of"),
              std::string::npos);
    EXPECT_NE(errorOf("store: {url: 'postgres://x'}").find("store.url"), std::string::npos);
    EXPECT_NE(errorOf("http: {tls: {certificate: a.pem}}").find("http.tls"), std::string::npos);
    EXPECT_NE(errorOf("http: 5").find("http: expected a mapping"), std::string::npos);
    EXPECT_NE(errorOf("limits: {sync_max_emails: 101}").find("limits.sync_max_emails"),
              std::string::npos);
}

TEST(ConfigLoader, RateLimitSlowClientAndShutdownKeys) {
    const auto c = loadConfigText(
        "http:\n  header_timeout_ms: 500\n  min_body_bytes_per_second: 0\n"
        "  shutdown_grace_ms: 0\n  rate_limit: {requests_per_second: 0, burst: 5}\n"
        "jobs: {shutdown_grace_ms: 250}\n",
        "x");
    EXPECT_EQ(c.http.headerTimeoutMs, 500);
    EXPECT_EQ(c.http.minBodyBytesPerSecond, 0);
    EXPECT_EQ(c.http.shutdownGraceMs, 0);
    EXPECT_FALSE(c.http.rateLimit.enabled());
    EXPECT_EQ(c.http.rateLimit.burst, 5);
    EXPECT_EQ(c.jobs.shutdownGraceMs, 250);
    EXPECT_NE(errorOf("http: {rate_limit: {burst: 0}}").find("http.rate_limit.burst"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {rate_limit: {rps: 3}}").find("http.rate_limit.rps: unknown key"),
              std::string::npos);
    EXPECT_NE(errorOf("jobs: {shutdown_grace_ms: -1}").find("jobs.shutdown_grace_ms"),
              std::string::npos);
}

TEST(ConfigLoader, SlowReaderKeys) {
    const auto defaults = loadConfigText("", "x");
    EXPECT_EQ(defaults.http.sendTimeoutMs, 30000);
    EXPECT_EQ(defaults.http.minResponseBytesPerSecond, 16384);
    const auto c =
        loadConfigText("http:\n  send_timeout_ms: 1500\n  min_response_bytes_per_second: 0\n", "x");
    EXPECT_EQ(c.http.sendTimeoutMs, 1500);
    EXPECT_EQ(c.http.minResponseBytesPerSecond, 0) << "0 turns the floor off";
    EXPECT_EQ(errorOf("http: {send_timeout_ms: 99}"),
              "http.send_timeout_ms: expected a whole number from 100 to 3600000, got '99'");
    EXPECT_NE(errorOf("http: {send_timeout_ms: 3600001}").find("http.send_timeout_ms"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {send_timeout_ms: soon}")
                  .find("http.send_timeout_ms: expected a whole "
                        "number"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {min_response_bytes_per_second: -1}")
                  .find("http.min_response_bytes_per_second: expected a whole number from 0"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {min_response_bytes_per_second: [1]}")
                  .find("http.min_response_bytes_per_second: expected a single value"),
              std::string::npos);
    EXPECT_NE(errorOf("http: {send_timeout: 5}").find("http.send_timeout: unknown key"),
              std::string::npos);
}

TEST(ConfigLoader, HeartbeatMustBeShorterThanTheLease) {
    EXPECT_NE(errorOf("jobs: {lease_ttl_ms: 1000, heartbeat_ms: 1000}").find("jobs.heartbeat_ms"),
              std::string::npos);
}

TEST(ConfigLoader, DuplicatePluginIsRefused) {
    EXPECT_NE(errorOf("plugins:\n  stages: [{name: a}, {name: a}]\n").find("listed twice"),
              std::string::npos);
}

TEST(ConfigLoader, InvalidYamlGivesLineAndColumn) {
    EXPECT_NE(errorOf("http:\n  port: [1,\n").find("not valid YAML (line"), std::string::npos);
}

TEST(ConfigLoader, EnvironmentSubstitution) {
    setenv("MAILSIFT_TEST_PORT", "9123", 1);
    setenv("MAILSIFT_TEST_SECRET", "s3cr\"et", 1);
    const auto c = loadConfigText(
        "http: {port: '${MAILSIFT_TEST_PORT}'}\n"
        "plugins: {stages: [{name: a, config: {password: '${MAILSIFT_TEST_SECRET}'}}]}\n",
        "x");
    EXPECT_EQ(c.http.port, 9123);
    auto cfg = Poco::JSON::Parser()
                   .parse(c.plugins.stages[0].configJson)
                   .extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(cfg->getValue<std::string>("password"), "s3cr\"et");
    const std::string e = errorOf("store: {url: '${MAILSIFT_TEST_UNSET_VAR}'}");
    EXPECT_NE(e.find("store.url: environment variable MAILSIFT_TEST_UNSET_VAR is not set"),
              std::string::npos)
        << e;
}

TEST(ConfigLoader, MissingFileSaysSo) {
    EXPECT_THROW(loadConfigFile("/nonexistent/mailsift.yaml"), ConfigError);
}

TEST(ConfigLoader, ChooseConfigPath) {
    using mailsift::config::chooseConfigPath;
    setenv("MAILSIFT_CONFIG", "/from/env.yaml", 1);
    EXPECT_EQ(chooseConfigPath("/from/flag.yaml"), "/from/flag.yaml");
    EXPECT_EQ(chooseConfigPath(""), "/from/env.yaml");
    unsetenv("MAILSIFT_CONFIG");
    EXPECT_THROW(chooseConfigPath(""), ConfigError);
}
