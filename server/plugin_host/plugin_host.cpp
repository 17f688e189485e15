#include "plugin_host/plugin_host.h"

#include <algorithm>
#include <array>
#include <exception>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

namespace mailsift::plugin_host {

namespace {

namespace fs = std::filesystem;
using Reason = PluginError::Reason;

constexpr std::string_view kLogTag = "mailsift.plugin_host";
constexpr std::size_t kCreateErrorBytes = 1024;

std::string entryPath(std::string_view list, std::size_t index) {
    return "plugins." + std::string(list) + "[" + std::to_string(index) + "]";
}

/// Calls a plugin's create. The macro never lets an exception out, but a hand-written descriptor
/// might, so the call is guarded here too.
void* callCreate(const MailsiftPluginDescriptor& d, HostApi& host, const std::string& configJson,
                 std::string& message) {
    std::array<char, kCreateErrorBytes> err{};
    void* object = nullptr;
    try {
        object = d.create(static_cast<void*>(&host), configJson.c_str(), err.data(), err.size());
    } catch (const std::exception& e) {
        message = std::string("exception: ") + e.what();
        return nullptr;
    } catch (...) {
        message = "unknown exception";
        return nullptr;
    }
    if (object == nullptr) {
        err.back() = '\0';
        message = err.front() != '\0' ? std::string(err.data()) : "no reason given";
    }
    return object;
}

}  // namespace

PluginHost::PluginHost(HostApi& host, const config::PluginsConfig& config)
    : host_(host), config_(config) {}

PluginHost::~PluginHost() {
    destroyInstances();
}

void PluginHost::destroyInstances() noexcept {
    for (auto it = instances_.rbegin(); it != instances_.rend(); ++it)
        it->destroy(it->object);
    instances_.clear();
    stages_.clear();
    connectors_.clear();
    configured_.clear();
}

void PluginHost::load() {
    if (loaded_)
        throw std::logic_error("PluginHost::load() called twice");
    loaded_ = true;

    std::vector<PluginError> fatal;
    scan(fatal);
    if (fatal.empty()) {
        for (std::size_t i = 0; i < config_.stages.size(); ++i) {
            instantiate(config_.stages[i], MAILSIFT_KIND_STAGE, entryPath("stages", i), fatal);
        }
        for (std::size_t i = 0; i < config_.connectors.size(); ++i) {
            instantiate(config_.connectors[i], MAILSIFT_KIND_CONNECTOR, entryPath("connectors", i),
                        fatal);
        }
    }
    for (const PluginError& error : refused_) {
        host_.log(HostApi::LogLevel::warning, kLogTag,
                  std::string(error.what()) + "; the file is ignored");
    }
    if (!fatal.empty()) {
        destroyInstances();
        throw PluginLoadError(std::move(fatal));
    }
}

void PluginHost::scan(std::vector<PluginError>& fatal) {
    const bool anyConfigured = !config_.stages.empty() || !config_.connectors.empty();
    std::error_code ec;
    const fs::path dir(config_.dir);
    if (config_.dir.empty() || !fs::is_directory(dir, ec)) {
        PluginError error(Reason::noFolder, "", "",
                          config_.dir.empty() ? "plugins.dir: no plugin folder is set"
                                              : "plugins.dir: " + config_.dir + " is not a folder");
        if (anyConfigured) {
            fatal.push_back(std::move(error));
        } else {
            host_.log(HostApi::LogLevel::warning, kLogTag, error.what());
        }
        return;
    }

    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeError;
        if (it->path().extension() == ".so" && it->is_regular_file(typeError)) {
            files.push_back(it->path());
        }
    }
    if (ec) {
        fatal.emplace_back(Reason::noFolder, "", "",
                           "plugins.dir: cannot list " + config_.dir + ": " + ec.message());
        return;
    }
    std::sort(files.begin(), files.end());

    for (const fs::path& file : files) {
        try {
            PluginLibrary library = PluginLibrary::open(file);
            if (const PluginLibrary* first = findAccepted(library.name())) {
                refused_.emplace_back(Reason::duplicateName, library.fileName(),
                                      std::string(library.name()),
                                      "plugin file " + library.fileName() + ": plugin name " +
                                          std::string(library.name()) + " is already provided by " +
                                          first->fileName());
                continue;
            }
            accepted_.push_back(std::move(library));
        } catch (const PluginError& error) {
            refused_.push_back(error);
        }
    }
}

const PluginLibrary* PluginHost::findAccepted(std::string_view name) const {
    auto it = std::find_if(accepted_.begin(), accepted_.end(),
                           [name](const PluginLibrary& library) { return library.name() == name; });
    return it == accepted_.end() ? nullptr : &*it;
}

bool PluginHost::promoteRefusal(const std::string& name, const std::string& prefix,
                                std::vector<PluginError>& fatal) {
    auto named = [&name](const PluginError& error) { return error.pluginName() == name; };
    auto it = std::stable_partition(refused_.begin(), refused_.end(),
                                    [&named](const PluginError& e) { return !named(e); });
    if (it == refused_.end())
        return false;
    for (auto refusal = it; refusal != refused_.end(); ++refusal) {
        fatal.emplace_back(refusal->reason(), refusal->file(), refusal->pluginName(),
                           prefix + refusal->what());
    }
    refused_.erase(it, refused_.end());
    return true;
}

std::string PluginHost::unknownNameSentence(const config::PluginEntry& entry,
                                            const std::string& path) const {
    std::string available;
    for (const PluginLibrary& library : accepted_) {
        if (!available.empty())
            available += ", ";
        available += std::string(library.name()) + " (" +
                     std::string(PluginLibrary::kindName(library.kind())) + ")";
    }
    return path + ".name: no plugin named " + entry.name + " in " + config_.dir +
           "; available: " + (available.empty() ? "none" : available);
}

void PluginHost::instantiate(const config::PluginEntry& entry, std::uint32_t kind,
                             const std::string& path, std::vector<PluginError>& fatal) {
    if (std::find(listed_.begin(), listed_.end(), entry.name) != listed_.end()) {
        fatal.emplace_back(Reason::listedTwice, "", entry.name,
                           path + ".name: plugin " + entry.name + " is listed more than once");
        return;
    }
    listed_.push_back(entry.name);

    const std::string refusedPrefix = path + ".name: plugin " + entry.name + " is refused: ";
    const PluginLibrary* library = findAccepted(entry.name);
    if (library == nullptr) {
        if (promoteRefusal(entry.name, refusedPrefix, fatal))
            return;
        fatal.emplace_back(Reason::unknownName, "", entry.name, unknownNameSentence(entry, path));
        // A refused file whose name could not be read may be the one the config means.
        promoteRefusal("", path + ".name: " + entry.name + " may be this refused file: ", fatal);
        return;
    }
    // Two files with this name: which one the operator meant is anybody's guess.
    if (promoteRefusal(entry.name, refusedPrefix, fatal))
        return;

    if (library->kind() != kind) {
        fatal.emplace_back(Reason::wrongKind, library->fileName(), entry.name,
                           path + ".name: plugin " + entry.name + " has the wrong kind: expected " +
                               std::string(PluginLibrary::kindName(kind)) + ", found " +
                               std::string(PluginLibrary::kindName(library->kind())));
        return;
    }

    std::string message;
    const MailsiftPluginDescriptor& descriptor = library->descriptor();
    void* object = callCreate(descriptor, host_, entry.configJson, message);
    if (object == nullptr) {
        fatal.emplace_back(Reason::createFailed, library->fileName(), entry.name,
                           "plugin " + entry.name + ": create failed: " + message + " (config at " +
                               path + ".config)");
        return;
    }
    instances_.push_back(Instance{object, descriptor.destroy});
    configured_.push_back(entry.name);
    // create returned the SDK base pointer as void*, so converting back is exact.
    if (kind == MAILSIFT_KIND_STAGE) {
        stages_.push_back(static_cast<ValidatorStage*>(object));
    } else {
        connectors_.emplace(entry.name, static_cast<Connector*>(object));
    }
}

Connector* PluginHost::connector(std::string_view name) const {
    auto it = connectors_.find(name);
    return it == connectors_.end() ? nullptr : it->second;
}

std::vector<PluginInfo> PluginHost::list() const {
    std::vector<PluginInfo> infos;
    infos.reserve(accepted_.size());
    for (const PluginLibrary& library : accepted_) {
        const MailsiftPluginDescriptor& d = library.descriptor();
        PluginInfo info;
        info.name = std::string(library.name());
        info.kind = std::string(PluginLibrary::kindName(library.kind()));
        info.version = std::string(library.version());
        info.abiMajor = d.abi_major;
        info.abiMinor = d.abi_minor;
        info.file = library.fileName();
        info.enabled =
            std::find(configured_.begin(), configured_.end(), info.name) != configured_.end();
        infos.push_back(std::move(info));
    }
    return infos;
}

}  // namespace mailsift::plugin_host
