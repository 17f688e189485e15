#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "mailsift/host_api.h"
#include "plugin_host/plugin_error.h"
#include "plugin_host/plugin_host.h"

namespace mailsift::plugin_host::test {

/// A HostApi that remembers every log line as "<plugin>: <message>".
class RecordingHost final : public HostApi {
  public:
    void log(LogLevel, std::string_view pluginName, std::string_view message) override {
        lines.push_back(std::string(pluginName) + ": " + std::string(message));
    }
    std::string resolvePath(std::string_view path) const override { return std::string(path); }
    std::chrono::system_clock::time_point now() const override { return {}; }

    bool logged(std::string_view fragment) const {
        for (const std::string& line : lines) {
            if (line.find(fragment) != std::string::npos)
                return true;
        }
        return false;
    }

    std::vector<std::string> lines;
};

/// The folder of one test case's plugin files.
inline std::string caseDir(std::string_view name) {
    return std::string(PLUGIN_HOST_TEST_CASES) + "/" + std::string(name);
}

inline config::PluginsConfig pluginsConfig(std::string_view caseName,
                                           std::vector<config::PluginEntry> stages,
                                           std::vector<config::PluginEntry> connectors = {}) {
    config::PluginsConfig config;
    config.dir = caseDir(caseName);
    config.stages = std::move(stages);
    config.connectors = std::move(connectors);
    return config;
}

/// Runs load() and returns the error it must throw (a test failure when it does not).
inline std::vector<PluginError> loadErrors(PluginHost& host) {
    try {
        host.load();
    } catch (const PluginLoadError& error) {
        return error.errors();
    }
    ADD_FAILURE() << "load() did not throw PluginLoadError";
    return {};
}

/// True when some error's sentence contains `fragment`.
inline bool anyContains(const std::vector<PluginError>& errors, std::string_view fragment) {
    for (const PluginError& error : errors) {
        if (std::string_view(error.what()).find(fragment) != std::string_view::npos)
            return true;
    }
    return false;
}

}  // namespace mailsift::plugin_host::test
