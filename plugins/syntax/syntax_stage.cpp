// mailsift.stage.syntax: a thin adapter over checkSyntax (syntax_check.h), which parses every
// unsettled item's input into Item::address; bad syntax settles the item. Config keys:
// allow_utf8_local (true), allow_single_label_domain (false).
#include <string>
#include <string_view>

#include "common/stage_config.h"
#include "mailsift/plugin.h"
#include "syntax/address_parser.h"
#include "syntax/syntax_check.h"

namespace mailsift::stages::syntax {
namespace {

constexpr std::string_view kPluginName = "mailsift.stage.syntax";

SyntaxOptions readOptions(std::string_view configJson) {
    using Type = StageConfig::Type;
    const StageConfig config(
        kPluginName, configJson,
        {{"allow_utf8_local", Type::boolean}, {"allow_single_label_domain", Type::boolean}});
    SyntaxOptions options;
    options.allowUtf8Local = config.boolean("allow_utf8_local", options.allowUtf8Local);
    options.allowSingleLabelDomain =
        config.boolean("allow_single_label_domain", options.allowSingleLabelDomain);
    return options;
}

}  // namespace

/// The plugin object; immutable after construction, so run() is thread-safe.
class SyntaxStage final : public ValidatorStage {
  public:
    SyntaxStage(HostApi& /*host*/, std::string_view configJson)
        : options_(readOptions(configJson)) {}

    void run(Batch& batch, StageContext& /*context*/) override {
        std::size_t done = 0;
        for (Item& item : batch.items) {
            // Cheap work: look at the clock and the cancel flag only every 1024 items.
            if ((++done & 1023U) == 0 && batch.shouldStop())
                return;
            checkSyntax(item, options_);
        }
    }

  private:
    SyntaxOptions options_;
};

}  // namespace mailsift::stages::syntax

MAILSIFT_PLUGIN(mailsift::stages::syntax::SyntaxStage, "mailsift.stage.syntax", stage)
