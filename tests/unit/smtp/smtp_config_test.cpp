// The stage's JSON config: defaults, the required HELO name, unknown keys and bad values.
#include "probe/smtp_config.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace mailsift::stages::smtp {
namespace {

std::string errorOf(const std::string& json) {
    try {
        SmtpConfig::fromJson(json);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(SmtpConfig, DefaultsWithOnlyHeloName) {
    const SmtpConfig config = SmtpConfig::fromJson(R"({"helo_name":"verify.example.org"})");
    EXPECT_EQ(config.port, 25);
    EXPECT_EQ(config.mailFrom, "verify@verify.example.org");
    EXPECT_EQ(config.connectTimeout.count(), 10000);
    EXPECT_EQ(config.commandTimeout.count(), 30000);
    EXPECT_EQ(config.bannerTimeout.count(), 30000);
    EXPECT_EQ(config.perHostConnections, 2);
    EXPECT_EQ(config.maxConnections, 200);
    EXPECT_EQ(config.maxRcptPerTransaction, 50);
    EXPECT_EQ(config.maxRcptPerSession, 200);
    EXPECT_EQ(config.greylistRetry.count(), 60000);
    EXPECT_EQ(config.greylistMaxRetries, 2);
    EXPECT_TRUE(config.catchAllProbe);
    EXPECT_EQ(config.catchAllTtl.count(), 86400);
    EXPECT_TRUE(config.starttls);
    EXPECT_TRUE(config.pipelining);
    EXPECT_EQ(config.backoffInitial.count(), 1000);
    EXPECT_EQ(config.backoffMax.count(), 60000);
    EXPECT_TRUE(config.bindAddress.empty());
}

TEST(SmtpConfig, ReadsEveryKey) {
    const SmtpConfig config = SmtpConfig::fromJson(R"({"port":2525,"helo_name":"h.example.org",
        "mail_from":"probe@example.org","connect_timeout_ms":1,"command_timeout_ms":2,
        "banner_timeout_ms":3,"per_host_connections":4,"max_connections":5,
        "max_rcpt_per_transaction":6,"max_rcpt_per_session":7,"greylist_retry_ms":8,
        "greylist_max_retries":9,"catch_all_probe":false,"catch_all_ttl_s":10,"starttls":false,
        "pipelining":false,"backoff_initial_ms":11,"backoff_max_ms":12,"bind_address":"127.0.0.1"})");
    EXPECT_EQ(config.port, 2525);
    EXPECT_EQ(config.mailFrom, "probe@example.org");
    EXPECT_EQ(config.perHostConnections, 4);
    EXPECT_EQ(config.maxRcptPerTransaction, 6);
    EXPECT_EQ(config.maxRcptPerSession, 7);
    EXPECT_FALSE(config.catchAllProbe);
    EXPECT_FALSE(config.starttls);
    EXPECT_FALSE(config.pipelining);
    EXPECT_EQ(config.backoffMax.count(), 12);
    EXPECT_EQ(config.bindAddress, "127.0.0.1");
}

TEST(SmtpConfig, HeloNameIsRequired) {
    EXPECT_NE(errorOf("{}").find("set helo_name to a host name you own"), std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":""})").find("set helo_name"), std::string::npos);
}

TEST(SmtpConfig, RefusesUnknownKeysAndBadValues) {
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","prot":25})").find("'prot'"), std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","port":0})").find("smtp.port"), std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","port":"25"})").find("smtp.port"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","starttls":1})").find("smtp.starttls"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"bad name"})").find("smtp.helo_name"), std::string::npos);
    EXPECT_NE(errorOf("{\"helo_name\":\"h.test\",\"mail_from\":\"a@b\\r\\nDATA\"}")
                  .find("smtp.mail_from"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","bind_address":"host"})").find("bind_address"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"helo_name":"h.test","backoff_initial_ms":5000,"backoff_max_ms":10})")
                  .find("backoff_max_ms"),
              std::string::npos);
    EXPECT_NE(errorOf("[1,2]").find("JSON object"), std::string::npos);
    EXPECT_NE(errorOf("{nope").find("JSON object"), std::string::npos);
}

}  // namespace
}  // namespace mailsift::stages::smtp
