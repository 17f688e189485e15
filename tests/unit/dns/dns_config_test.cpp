// DnsConfig::parse: defaults, every key, and refusals that name the key.
#include "dns/dns_config.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "dns/dns_resolver.h"

namespace mailsift::stages::dns {
namespace {

std::string errorOf(std::string_view json) {
    try {
        DnsConfig::parse(json);
    } catch (const std::invalid_argument& error) {
        return error.what();
    }
    return "";
}

TEST(DnsConfigTest, Defaults) {
    const DnsConfig config = DnsConfig::parse("{}");
    EXPECT_TRUE(config.servers.empty());
    EXPECT_EQ(config.timeout, std::chrono::milliseconds(2000));
    EXPECT_EQ(config.tries, 2);
    EXPECT_FALSE(config.ipv6);
    EXPECT_EQ(config.cacheEntries, 100000U);
    EXPECT_EQ(config.minTtl, std::chrono::seconds(5));
    EXPECT_EQ(config.maxTtl, std::chrono::seconds(86400));
    EXPECT_EQ(config.negativeTtl, std::chrono::seconds(300));
    EXPECT_EQ(config.failureTtl, std::chrono::seconds(30));
    EXPECT_EQ(config.maxInFlight, 1000U);
    EXPECT_EQ(DnsConfig::parse("").tries, 2);
}

TEST(DnsConfigTest, EveryKey) {
    const DnsConfig config = DnsConfig::parse(
        R"({"servers":["127.0.0.1:5353","127.0.0.2:53"],"timeout_ms":500,"tries":3,"ipv6":true,
            "cache_entries":10,"min_ttl":0,"max_ttl":600,"negative_ttl":60,"failure_ttl":0,
            "max_in_flight":50})");
    EXPECT_EQ(config.servers, (std::vector<std::string>{"127.0.0.1:5353", "127.0.0.2:53"}));
    EXPECT_EQ(config.timeout, std::chrono::milliseconds(500));
    EXPECT_EQ(config.tries, 3);
    EXPECT_TRUE(config.ipv6);
    EXPECT_EQ(config.cacheEntries, 10U);
    EXPECT_EQ(config.minTtl, std::chrono::seconds(0));
    EXPECT_EQ(config.maxTtl, std::chrono::seconds(600));
    EXPECT_EQ(config.negativeTtl, std::chrono::seconds(60));
    EXPECT_EQ(config.failureTtl, std::chrono::seconds(0));
    EXPECT_EQ(config.maxInFlight, 50U);
}

TEST(DnsConfigTest, RefusalsNameTheKey) {
    EXPECT_NE(errorOf(R"({"severs":[]})").find("unknown config key severs"), std::string::npos);
    EXPECT_NE(errorOf(R"({"tries":0})").find("tries"), std::string::npos);
    EXPECT_NE(errorOf(R"({"timeout_ms":"2s"})").find("timeout_ms"), std::string::npos);
    EXPECT_NE(errorOf(R"({"ipv6":1})").find("ipv6"), std::string::npos);
    EXPECT_NE(errorOf(R"({"servers":"127.0.0.1"})").find("servers"), std::string::npos);
    EXPECT_NE(errorOf(R"({"servers":[53]})").find("servers"), std::string::npos);
    EXPECT_NE(errorOf(R"({"min_ttl":100,"max_ttl":10})").find("min_ttl"), std::string::npos);
    EXPECT_NE(errorOf(R"({"max_in_flight":0})").find("max_in_flight"), std::string::npos);
    EXPECT_NE(errorOf("[1]").find("JSON object"), std::string::npos);
    EXPECT_NE(errorOf("{nope").find("not valid JSON"), std::string::npos);
}

TEST(DnsConfigTest, ResolverRefusesUnreadableServers) {
    DnsConfig config;
    config.servers = {"not a server"};
    EXPECT_THROW(DnsResolver{config}, std::invalid_argument);
    config.servers = {"127.0.0.1:53,127.0.0.2:53"};
    EXPECT_THROW(DnsResolver{config}, std::invalid_argument);
    config.servers = {"127.0.0.1:5353", "[::1]:5353"};
    EXPECT_NO_THROW(DnsResolver{config});
}

}  // namespace
}  // namespace mailsift::stages::dns
