#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "mailsift/host_api.h"

namespace Poco {
class Logger;
}

namespace mailsift::plugin_host {

/// The server's HostApi: plugin log lines go to a Poco logger, plugin config paths resolve against
/// the config file's folder, and the clock can be replaced by tests. Every member is thread-safe.
class PluginHostApi final : public HostApi {
  public:
    using Clock = std::function<std::chrono::system_clock::time_point()>;

    /// `logger` must outlive this object. `configDir` is the folder of the server's config file.
    /// An empty `clock` means std::chrono::system_clock::now; a given one must be thread-safe.
    PluginHostApi(Poco::Logger& logger, std::string configDir, Clock clock = {});

    /// Writes "<pluginName>: <message>" at the matching Poco priority.
    void log(LogLevel level, std::string_view pluginName, std::string_view message) override;
    /// Absolute paths come back unchanged (normalised); relative ones are joined to configDir.
    /// An empty path stays empty.
    std::string resolvePath(std::string_view path) const override;
    std::chrono::system_clock::time_point now() const override;

  private:
    Poco::Logger& logger_;
    std::string configDir_;
    Clock clock_;
};

}  // namespace mailsift::plugin_host
