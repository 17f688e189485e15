// mailsift.stage.lists: records roleAccount, disposableDomain and freeProvider from the list files
// in config/lists. Never settles an item. Config keys (paths relative to the config folder):
// role_file, disposable_file, disposable_wildcard_file, free_file.
#include <string>
#include <string_view>

#include "common/list_file.h"
#include "common/stage_config.h"
#include "lists/list_facts.h"
#include "lists/list_matcher.h"
#include "mailsift/plugin.h"

namespace mailsift::stages::lists {
namespace {

constexpr std::string_view kPluginName = "mailsift.stage.lists";

ListEntries readEntries(HostApi& host, std::string_view configJson) {
    using Type = StageConfig::Type;
    const StageConfig config(kPluginName, configJson,
                             {{"role_file", Type::string},
                              {"disposable_file", Type::string},
                              {"disposable_wildcard_file", Type::string},
                              {"free_file", Type::string}});
    const auto load = [&](std::string_view key, std::string_view fallback, ListKind kind) {
        const std::string path = config.string(key, fallback);
        if (path.empty())
            throw std::invalid_argument(config.about(key) + "must name a list file");
        return readListFile(host.resolvePath(path), kind, key, kPluginName);
    };
    ListEntries entries;
    entries.roleLocalParts = load("role_file", "lists/role_local_parts.txt", ListKind::localParts);
    entries.disposableDomains =
        load("disposable_file", "lists/disposable_domains.txt", ListKind::domains);
    entries.disposableWildcards = load("disposable_wildcard_file",
                                       "lists/disposable_wildcard_domains.txt", ListKind::domains);
    entries.freeDomains = load("free_file", "lists/free_domains.txt", ListKind::domains);
    host.log(HostApi::LogLevel::info, kPluginName,
             std::to_string(entries.roleLocalParts.size()) + " role local parts, " +
                 std::to_string(entries.disposableDomains.size()) + " disposable domains, " +
                 std::to_string(entries.disposableWildcards.size()) + " disposable wildcards, " +
                 std::to_string(entries.freeDomains.size()) + " free domains");
    return entries;
}

}  // namespace

/// The plugin object; immutable after construction, so run() is thread-safe.
class ListsStage final : public ValidatorStage {
  public:
    ListsStage(HostApi& host, std::string_view configJson)
        : matcher_(readEntries(host, configJson)) {}

    void run(Batch& batch, StageContext& /*context*/) override {
        std::size_t done = 0;
        for (Item& item : batch.items) {
            if ((++done & 1023U) == 0 && batch.shouldStop())
                return;
            recordListFacts(matcher_, item);
        }
    }

  private:
    ListMatcher matcher_;
};

}  // namespace mailsift::stages::lists

MAILSIFT_PLUGIN(mailsift::stages::lists::ListsStage, "mailsift.stage.lists", stage)
