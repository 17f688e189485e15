// mailsift.connector.file: a thin adapter over CsvReader (csv_reader.h) for CSV uploads. Config
// keys: max_line_bytes (65536), max_field_bytes (65536).
#include <string_view>

#include "common/connector_config.h"
#include "file/csv_reader.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::file {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.file";

CsvLimits readLimits(std::string_view configJson) {
    using Type = stages::StageConfig::Type;
    const stages::StageConfig config(
        kPluginName, configJson,
        {{"max_line_bytes", Type::integer}, {"max_field_bytes", Type::integer}});
    CsvLimits limits;
    limits.maxLineBytes = sizeLimit(config, "max_line_bytes", limits.maxLineBytes);
    limits.maxFieldBytes = sizeLimit(config, "max_field_bytes", limits.maxFieldBytes);
    return limits;
}

}  // namespace

/// The plugin object; immutable after construction, so read() is thread-safe.
class FileConnector final : public Connector {
  public:
    FileConnector(HostApi& /*host*/, std::string_view configJson)
        : reader_(readLimits(configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        if (input.body == nullptr)
            throw ConnectorError(ConnectorError::Kind::badInput, "No file was uploaded");
        reader_.read(*input.body, sink);
    }

  private:
    CsvReader reader_;
};

}  // namespace mailsift::connectors::file

MAILSIFT_PLUGIN(mailsift::connectors::file::FileConnector, "mailsift.connector.file", connector)
