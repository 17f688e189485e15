#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "mailsift/plugin_descriptor.h"

namespace mailsift::plugin_host {

/// One plugin file whose descriptor passed the ABI checks. The library stays loaded for the life of
/// the process (it is never dlclose'd): objects it created, and the code their vtables point to,
/// must never dangle, and a static destructor of a plugin must not run while the host still runs.
class PluginLibrary {
  public:
    /// Opens `path` with RTLD_NOW | RTLD_LOCAL and checks, in this order: the descriptor symbol,
    /// struct_size (only its 4 bytes are read before it matches), abi_major, build_tag, kind, and
    /// that name, create and destroy are set. Throws PluginError naming the field and both values;
    /// a refused file is closed again (none of its objects exist yet).
    static PluginLibrary open(const std::filesystem::path& path);

    const MailsiftPluginDescriptor& descriptor() const { return *descriptor_; }
    /// The file name without its folder, e.g. "syntax.so".
    const std::string& fileName() const { return fileName_; }
    std::string_view name() const { return descriptor_->name; }
    std::string_view version() const { return descriptor_->version ? descriptor_->version : ""; }
    std::uint32_t kind() const { return descriptor_->kind; }

    /// "stage", "connector" or "unknown".
    static std::string_view kindName(std::uint32_t kind);

  private:
    PluginLibrary(std::string fileName, const MailsiftPluginDescriptor* descriptor);

    std::string fileName_;
    const MailsiftPluginDescriptor* descriptor_;  ///< lives inside the library, which stays loaded
};

}  // namespace mailsift::plugin_host
