#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace mailsift::plugin_host {

/// One problem with one plugin file or one plugin entry of the config. what() is the whole
/// sentence shown to the operator, e.g. "plugin file x.so: descriptor field struct_size is 40,
/// the host expects 56".
class PluginError : public std::runtime_error {
  public:
    enum class Reason {
        noFolder,        ///< plugins.dir is missing or not a folder
        openFailed,      ///< dlopen refused the file (missing dependency, not an ELF, ...)
        noDescriptor,    ///< the file does not export mailsift_plugin_descriptor
        nullDescriptor,  ///< the descriptor function returned null
        structSize,      ///< descriptor field struct_size differs from the host's
        abiMajor,        ///< descriptor field abi_major differs from the host's
        buildTag,        ///< descriptor field build_tag differs from the host's
        unknownKind,     ///< descriptor field kind is neither stage nor connector
        badField,        ///< a required descriptor field is null or empty (name, create, destroy)
        duplicateName,   ///< another accepted file already provides this plugin name
        unknownName,     ///< the config names a plugin that no accepted file provides
        wrongKind,       ///< a connector listed as a stage, or the other way round
        listedTwice,     ///< the config names the same plugin twice
        createFailed,    ///< the plugin's create returned null (or threw)
    };

    /// `file` is the .so file name ("" when the problem is not tied to a file); `pluginName` is the
    /// descriptor's name when it could be read safely, "" otherwise.
    PluginError(Reason reason, std::string file, std::string pluginName,
                const std::string& sentence);

    Reason reason() const { return reason_; }
    const std::string& file() const { return file_; }
    const std::string& pluginName() const { return pluginName_; }

  private:
    Reason reason_;
    std::string file_;
    std::string pluginName_;
};

/// Thrown by PluginHost::load() when start-up must stop. Lists every problem found, not only the
/// first, so that one restart is enough to see them all.
class PluginLoadError : public std::runtime_error {
  public:
    explicit PluginLoadError(std::vector<PluginError> errors);

    const std::vector<PluginError>& errors() const { return errors_; }

  private:
    std::vector<PluginError> errors_;
};

}  // namespace mailsift::plugin_host
