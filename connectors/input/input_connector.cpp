// mailsift.connector.input: a thin adapter over InputSplitter (input_splitter.h) for the `input`
// form field. Config keys: max_item_bytes (1024).
#include <string_view>

#include "common/connector_config.h"
#include "input/input_splitter.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::input {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.input";

InputSplitter makeSplitter(std::string_view configJson) {
    using Type = stages::StageConfig::Type;
    const stages::StageConfig config(kPluginName, configJson, {{"max_item_bytes", Type::integer}});
    return InputSplitter(sizeLimit(config, "max_item_bytes", 1024));
}

}  // namespace

/// The plugin object; immutable after construction, so read() is thread-safe.
class InputConnector final : public Connector {
  public:
    InputConnector(HostApi& /*host*/, std::string_view configJson)
        : splitter_(makeSplitter(configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        splitter_.split(input.text, sink);
    }

  private:
    InputSplitter splitter_;
};

}  // namespace mailsift::connectors::input

MAILSIFT_PLUGIN(mailsift::connectors::input::InputConnector, "mailsift.connector.input", connector)
