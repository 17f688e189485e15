// PluginHostApi: logging through Poco, path resolution against the config folder, injected clock.
#include "plugin_host/host_api_impl.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace mailsift::plugin_host::test {
namespace {

class CapturingChannel final : public Poco::Channel {
  public:
    void log(const Poco::Message& message) override { messages.push_back(message); }
    std::vector<Poco::Message> messages;
};

TEST(PluginHostApi, LogsWithPluginNameAtTheMatchingPriority) {
    Poco::AutoPtr<CapturingChannel> channel(new CapturingChannel);
    Poco::Logger& logger = Poco::Logger::get("mailsift.plugin_host.test.api");
    logger.setChannel(channel);
    logger.setLevel(Poco::Message::PRIO_INFORMATION);
    PluginHostApi api(logger, "/etc/mailsift");

    api.log(HostApi::LogLevel::warning, "mailsift.stage.dns", "resolver timed out");
    api.log(HostApi::LogLevel::debug, "mailsift.stage.dns", "below the level: dropped");
    api.log(HostApi::LogLevel::error, "mailsift.stage.smtp", "pool exhausted");

    ASSERT_EQ(channel->messages.size(), 2U);
    EXPECT_EQ(channel->messages[0].getText(), "mailsift.stage.dns: resolver timed out");
    EXPECT_EQ(channel->messages[0].getPriority(), Poco::Message::PRIO_WARNING);
    EXPECT_EQ(channel->messages[1].getPriority(), Poco::Message::PRIO_ERROR);
    logger.setChannel(nullptr);
}

TEST(PluginHostApi, ResolvesRelativePathsAgainstTheConfigFolder) {
    Poco::Logger& logger = Poco::Logger::get("mailsift.plugin_host.test.paths");
    PluginHostApi api(logger, "/etc/mailsift");
    EXPECT_EQ(api.resolvePath("lists/roles.txt"), "/etc/mailsift/lists/roles.txt");
    EXPECT_EQ(api.resolvePath("../share/x.txt"), "/etc/share/x.txt");
    EXPECT_EQ(api.resolvePath("/var/lib/mailsift/x.txt"), "/var/lib/mailsift/x.txt");
    EXPECT_EQ(api.resolvePath(""), "");
}

TEST(PluginHostApi, UsesTheInjectedClock) {
    Poco::Logger& logger = Poco::Logger::get("mailsift.plugin_host.test.clock");
    const auto fixed = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
    PluginHostApi injected(logger, "/", [fixed] { return fixed; });
    EXPECT_EQ(injected.now(), fixed);

    PluginHostApi real(logger, "/");
    const auto before = std::chrono::system_clock::now();
    EXPECT_GE(real.now(), before);
}

}  // namespace
}  // namespace mailsift::plugin_host::test
