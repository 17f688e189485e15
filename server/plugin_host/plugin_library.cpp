#include "plugin_host/plugin_library.h"

#include <dlfcn.h>

#include <cstring>
#include <utility>

#include "mailsift/build_tag.h"
#include "plugin_host/plugin_error.h"

namespace mailsift::plugin_host {

namespace {

using Reason = PluginError::Reason;

/// Closes a handle on the way out unless the library was accepted.
class HandleGuard {
  public:
    explicit HandleGuard(void* handle) : handle_(handle) {}
    ~HandleGuard() {
        if (handle_ != nullptr)
            dlclose(handle_);
    }
    HandleGuard(const HandleGuard&) = delete;
    HandleGuard& operator=(const HandleGuard&) = delete;
    void keep() { handle_ = nullptr; }

  private:
    void* handle_;
};

std::string quoted(const char* text) {
    return text == nullptr ? std::string("null") : "\"" + std::string(text) + "\"";
}

std::string fieldMismatch(const std::string& file, std::string_view field, const std::string& got,
                          const std::string& expected) {
    return "plugin file " + file + ": descriptor field " + std::string(field) + " is " + got +
           ", the host expects " + expected;
}

/// Checks the fields after struct_size, which already matched (so the layout is ours).
void checkFields(const std::string& file, const MailsiftPluginDescriptor& d) {
    if (d.abi_major != MAILSIFT_ABI_MAJOR) {
        throw PluginError(Reason::abiMajor, file, "",
                          fieldMismatch(file, "abi_major", std::to_string(d.abi_major),
                                        std::to_string(MAILSIFT_ABI_MAJOR)));
    }
    // From here the layout and meaning of every field are ours, so the name is safe to read.
    std::string name = d.name != nullptr ? d.name : "";
    if (d.build_tag == nullptr || std::strcmp(d.build_tag, MAILSIFT_BUILD_TAG) != 0) {
        throw PluginError(
            Reason::buildTag, file, name,
            fieldMismatch(file, "build_tag", quoted(d.build_tag), quoted(MAILSIFT_BUILD_TAG)) +
                " (rebuild the plugin against this server's SDK and toolchain)");
    }
    if (d.kind != MAILSIFT_KIND_STAGE && d.kind != MAILSIFT_KIND_CONNECTOR) {
        throw PluginError(
            Reason::unknownKind, file, name,
            fieldMismatch(file, "kind", std::to_string(d.kind),
                          std::to_string(MAILSIFT_KIND_STAGE) + " (stage) or " +
                              std::to_string(MAILSIFT_KIND_CONNECTOR) + " (connector)"));
    }
    if (name.empty()) {
        throw PluginError(Reason::badField, file, name,
                          fieldMismatch(file, "name", d.name == nullptr ? "null" : "empty",
                                        "a dotted name such as mailsift.stage.example"));
    }
    if (d.create == nullptr || d.destroy == nullptr) {
        throw PluginError(
            Reason::badField, file, name,
            fieldMismatch(file, d.create == nullptr ? "create" : "destroy", "null", "a function"));
    }
}

}  // namespace

PluginLibrary::PluginLibrary(std::string fileName, const MailsiftPluginDescriptor* descriptor)
    : fileName_(std::move(fileName)), descriptor_(descriptor) {}

std::string_view PluginLibrary::kindName(std::uint32_t kind) {
    switch (kind) {
        case MAILSIFT_KIND_STAGE:
            return "stage";
        case MAILSIFT_KIND_CONNECTOR:
            return "connector";
        default:
            return "unknown";
    }
}

PluginLibrary PluginLibrary::open(const std::filesystem::path& path) {
    const std::string file = path.filename().string();
    // RTLD_NOW: a missing symbol shows here, not in the middle of a job. RTLD_LOCAL: plugins cannot
    // see (or interpose on) each other's symbols, so two classes with one name stay two classes.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        throw PluginError(Reason::openFailed, file, "",
                          "plugin file " + file + ": cannot be loaded: " +
                              (why != nullptr ? why : "unknown dlopen error"));
    }
    HandleGuard guard(handle);

    void* symbol = dlsym(handle, MAILSIFT_DESCRIPTOR_SYMBOL);
    if (symbol == nullptr) {
        throw PluginError(Reason::noDescriptor, file, "",
                          "plugin file " + file +
                              ": no symbol " MAILSIFT_DESCRIPTOR_SYMBOL
                              "; is it built with MAILSIFT_PLUGIN?");
    }
    auto descriptorFn = reinterpret_cast<MailsiftPluginDescriptorFn>(symbol);
    const MailsiftPluginDescriptor* descriptor = descriptorFn();
    if (descriptor == nullptr) {
        throw PluginError(
            Reason::nullDescriptor, file, "",
            "plugin file " + file + ": " MAILSIFT_DESCRIPTOR_SYMBOL "() returned null");
    }

    // Only the first field is trusted until it matches: an older or newer plugin may have a
    // shorter struct, and reading past its end would read whatever follows it.
    std::uint32_t structSize = 0;
    std::memcpy(&structSize, static_cast<const void*>(descriptor), sizeof structSize);
    if (structSize != sizeof(MailsiftPluginDescriptor)) {
        throw PluginError(Reason::structSize, file, "",
                          fieldMismatch(file, "struct_size", std::to_string(structSize),
                                        std::to_string(sizeof(MailsiftPluginDescriptor))));
    }
    checkFields(file, *descriptor);

    guard.keep();  // accepted: never unloaded
    return PluginLibrary(file, descriptor);
}

}  // namespace mailsift::plugin_host
