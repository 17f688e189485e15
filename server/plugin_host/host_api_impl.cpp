#include "plugin_host/host_api_impl.h"

#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <filesystem>
#include <utility>

namespace mailsift::plugin_host {

namespace {

Poco::Message::Priority priorityOf(HostApi::LogLevel level) {
    switch (level) {
        case HostApi::LogLevel::debug:
            return Poco::Message::PRIO_DEBUG;
        case HostApi::LogLevel::info:
            return Poco::Message::PRIO_INFORMATION;
        case HostApi::LogLevel::warning:
            return Poco::Message::PRIO_WARNING;
        case HostApi::LogLevel::error:
            return Poco::Message::PRIO_ERROR;
    }
    return Poco::Message::PRIO_ERROR;  // a level from a newer SDK: better seen than lost
}

}  // namespace

PluginHostApi::PluginHostApi(Poco::Logger& logger, std::string configDir, Clock clock)
    : logger_(logger), configDir_(std::move(configDir)), clock_(std::move(clock)) {}

void PluginHostApi::log(LogLevel level, std::string_view pluginName, std::string_view message) {
    const Poco::Message::Priority priority = priorityOf(level);
    if (!logger_.is(priority))
        return;
    std::string text;
    text.reserve(pluginName.size() + 2 + message.size());
    text.append(pluginName).append(": ").append(message);
    logger_.log(Poco::Message(logger_.name(), text, priority));
}

std::string PluginHostApi::resolvePath(std::string_view path) const {
    if (path.empty())
        return {};
    const std::filesystem::path given{std::string(path)};
    if (given.is_absolute())
        return given.lexically_normal().string();
    return (std::filesystem::path(configDir_) / given).lexically_normal().string();
}

std::chrono::system_clock::time_point PluginHostApi::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

}  // namespace mailsift::plugin_host
