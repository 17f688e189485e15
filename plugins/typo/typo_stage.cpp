// mailsift.stage.typo: records likelyTypo and Evidence::suggestion (the whole corrected address)
// for domains near a well-known provider or with a TLD slip. Never settles an item.
// Config keys: providers_file, free_file, disposable_file, max_distance.
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/list_file.h"
#include "common/stage_config.h"
#include "mailsift/plugin.h"
#include "typo/typo_facts.h"
#include "typo/typo_finder.h"

namespace mailsift::stages::typo {
namespace {

constexpr std::string_view kPluginName = "mailsift.stage.typo";
constexpr std::int64_t kMaxConfiguredDistance = 3;

TypoFinder makeFinder(HostApi& host, std::string_view configJson) {
    using Type = StageConfig::Type;
    const StageConfig config(kPluginName, configJson,
                             {{"providers_file", Type::string},
                              {"free_file", Type::string},
                              {"disposable_file", Type::string},
                              {"max_distance", Type::integer}});
    const auto load = [&](std::string_view key, std::string_view fallback) {
        const std::string path = config.string(key, fallback);
        if (path.empty())
            throw std::invalid_argument(config.about(key) + "must name a list file");
        return readListFile(host.resolvePath(path), ListKind::domains, key, kPluginName);
    };
    std::optional<int> maxDistance;
    if (config.has("max_distance")) {
        const std::int64_t value = config.integer("max_distance", 0);
        if (value < 0 || value > kMaxConfiguredDistance)
            throw std::invalid_argument(config.about("max_distance") + "must be between 0 and " +
                                        std::to_string(kMaxConfiguredDistance));
        maxDistance = static_cast<int>(value);
    }
    const std::vector<std::string> providers =
        load("providers_file", "lists/well_known_providers.txt");
    std::vector<std::string> known = load("free_file", "lists/free_domains.txt");
    std::vector<std::string> disposable = load("disposable_file", "lists/disposable_domains.txt");
    known.insert(known.end(), std::make_move_iterator(disposable.begin()),
                 std::make_move_iterator(disposable.end()));
    host.log(HostApi::LogLevel::info, kPluginName,
             std::to_string(providers.size()) + " well-known providers, " +
                 std::to_string(known.size()) + " other known domains");
    return TypoFinder(providers, known, maxDistance);
}

}  // namespace

/// The plugin object; immutable after construction, so run() is thread-safe.
class TypoStage final : public ValidatorStage {
  public:
    TypoStage(HostApi& host, std::string_view configJson) : finder_(makeFinder(host, configJson)) {}

    void run(Batch& batch, StageContext& /*context*/) override {
        std::size_t done = 0;
        for (Item& item : batch.items) {
            if ((++done & 1023U) == 0 && batch.shouldStop())
                return;
            recordTypo(finder_, item);
        }
    }

  private:
    TypoFinder finder_;
};

}  // namespace mailsift::stages::typo

MAILSIFT_PLUGIN(mailsift::stages::typo::TypoStage, "mailsift.stage.typo", stage)
