#include "plugin_host/plugin_error.h"

#include <utility>

namespace mailsift::plugin_host {

namespace {

std::string summarize(const std::vector<PluginError>& errors) {
    std::string text = "plugins: " + std::to_string(errors.size()) +
                       (errors.size() == 1 ? " problem stops" : " problems stop") + " start-up:";
    for (const PluginError& error : errors) {
        text += "\n  - ";
        text += error.what();
    }
    return text;
}

}  // namespace

PluginError::PluginError(Reason reason, std::string file, std::string pluginName,
                         const std::string& sentence)
    : std::runtime_error(sentence),
      reason_(reason),
      file_(std::move(file)),
      pluginName_(std::move(pluginName)) {}

PluginLoadError::PluginLoadError(std::vector<PluginError> errors)
    : std::runtime_error(summarize(errors)), errors_(std::move(errors)) {}

}  // namespace mailsift::plugin_host
