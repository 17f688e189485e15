// The smtp stage loaded the way production loads it: PluginHost from plugins.dir with its config.
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_host.h"
#include "stage_fixture.h"

namespace mailsift::stages::smtp::test {
namespace {

TEST(SmtpPlugin, LoadsThroughThePluginHostAndProbes) {
    FakeSmtpServer server;
    FakeSmtpBehaviour b;
    b.known = {"alice@plug.test"};
    server.addAddress("127.9.0.1", b);
    server.start();

    plugin_host::PluginHostApi api(Poco::Logger::get("smtp_plugin_test"), ".");
    config::PluginsConfig config;
    config.dir = MAILSIFT_TEST_PLUGIN_DIR;
    config.stages = {
        {"mailsift.stage.smtp", "{\"port\":" + std::to_string(server.port()) +
                                    ",\"helo_name\":\"probe.mailsift.test\",\"starttls\":false}"}};
    plugin_host::PluginHost plugins(api, config);
    plugins.load();
    ASSERT_EQ(plugins.stages().size(), 1U);

    Batch batch = batchOf({item("alice@plug.test", {mx("mx.plug.test", 0, "127.9.0.1")}),
                           item("bob@plug.test", {mx("mx.plug.test", 0, "127.9.0.1")})});
    StageContext context{api};
    plugins.stages()[0]->run(batch, context);
    EXPECT_EQ(smtpFacts(batch.items[0]), (std::vector<Fact>{Fact::mailboxAccepted}));
    EXPECT_EQ(smtpFacts(batch.items[1]), (std::vector<Fact>{Fact::mailboxRefused}));
    server.stop();
}

TEST(SmtpPlugin, RefusesAConfigWithoutHeloName) {
    plugin_host::PluginHostApi api(Poco::Logger::get("smtp_plugin_test"), ".");
    config::PluginsConfig config;
    config.dir = MAILSIFT_TEST_PLUGIN_DIR;
    config.stages = {{"mailsift.stage.smtp", "{\"port\":2525}"}};
    plugin_host::PluginHost plugins(api, config);
    try {
        plugins.load();
        FAIL() << "load() must refuse the config";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string(e.what()).find("set helo_name to a host name you own"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace mailsift::stages::smtp::test
