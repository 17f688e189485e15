#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace mailsift {

/// What the server offers to plugins. The host owns it and keeps it alive longer than any plugin
/// instance; every member may be called from any thread.
class HostApi {
  public:
    enum class LogLevel { debug, info, warning, error };

    /// Writes one line to the server log, tagged with the plugin's name.
    virtual void log(LogLevel level, std::string_view pluginName, std::string_view message) = 0;

    /// Turns a path from the plugin's config into an absolute one: relative paths are taken
    /// relative to the folder of the server's config file (lists live in config/lists/).
    virtual std::string resolvePath(std::string_view path) const = 0;

    /// The server's clock; tests inject their own.
    virtual std::chrono::system_clock::time_point now() const = 0;

  protected:
    ~HostApi() = default;
};

}  // namespace mailsift
