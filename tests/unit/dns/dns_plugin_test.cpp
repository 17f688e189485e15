// The dns stage loaded the way production loads it: the .so from the plugin folder, through
// PluginHost and PluginHostApi, asking the fake DNS server.
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include "config/config.h"
#include "fakes/dns/fake_dns_server.h"
#include "mailsift/batch.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_error.h"
#include "plugin_host/plugin_host.h"

namespace mailsift::stages::dns {
namespace {

config::PluginsConfig pluginsConfig(std::string json) {
    config::PluginsConfig config;
    config.dir = MAILSIFT_PLUGIN_DIR;
    config.stages = {{"mailsift.stage.dns", std::move(json)}};
    return config;
}

TEST(DnsPluginTest, LoadsThroughPluginHostAndResolves) {
    fakes::FakeDnsServer fake;
    fake.zone().mx("example.test", 10, "mx1.example.test").a("mx1.example.test", "127.0.0.10");
    fake.start();
    plugin_host::PluginHostApi api(Poco::Logger::get("dns-plugin-test"), "/tmp");
    plugin_host::PluginHost host(
        api, pluginsConfig("{\"servers\":[\"" + fake.address() + "\"],\"timeout_ms\":500}"));
    host.load();
    ASSERT_EQ(host.stages().size(), 1U);

    Batch batch;
    batch.items.resize(2);
    batch.items[0].address.domain = "example.test";
    batch.items[1].address.domain = "unknown.test";
    StageContext context{api};
    host.stages()[0]->run(batch, context);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::mxFound));
    ASSERT_EQ(batch.items[0].evidence.mailServers.size(), 1U);
    EXPECT_EQ(batch.items[0].evidence.mailServers[0].addresses,
              std::vector<std::string>{"127.0.0.10"});
    EXPECT_TRUE(batch.items[1].evidence.has(Fact::domainNotFound));
    EXPECT_GE(fake.totalQueries(), 3U);
}

TEST(DnsPluginTest, BadConfigStopsLoadNamingTheKey) {
    plugin_host::PluginHostApi api(Poco::Logger::get("dns-plugin-test"), "/tmp");
    plugin_host::PluginHost host(api, pluginsConfig(R"({"servers":["127.0.0.1:1"],"retries":3})"));
    try {
        host.load();
        FAIL() << "load() accepted an unknown key";
    } catch (const plugin_host::PluginLoadError& error) {
        EXPECT_NE(std::string(error.what()).find("retries"), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace mailsift::stages::dns
