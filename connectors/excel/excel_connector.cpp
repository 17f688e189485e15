// mailsift.connector.excel: a thin adapter over ExcelReader (excel_reader.h) for .xlsx and .xls
// uploads. Config keys: max_decompressed_bytes (268435456), max_entries (10000),
// max_compression_ratio (200), max_cell_bytes (131072), spool_dir ("" = the system temp folder;
// relative paths are taken from the config file's folder).
#include <string>
#include <string_view>

#include "common/connector_config.h"
#include "excel/excel_reader.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::excel {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.excel";

ExcelReader makeReader(HostApi& host, std::string_view configJson) {
    using Type = stages::StageConfig::Type;
    const stages::StageConfig config(kPluginName, configJson,
                                     {{"max_decompressed_bytes", Type::integer},
                                      {"max_entries", Type::integer},
                                      {"max_compression_ratio", Type::integer},
                                      {"max_cell_bytes", Type::integer},
                                      {"spool_dir", Type::string}});
    XlsxLimits limits;
    limits.zip.maxDecompressedBytes =
        sizeLimit(config, "max_decompressed_bytes", limits.zip.maxDecompressedBytes);
    limits.zip.maxEntries = sizeLimit(config, "max_entries", limits.zip.maxEntries);
    limits.zip.maxCompressionRatio =
        sizeLimit(config, "max_compression_ratio", limits.zip.maxCompressionRatio);
    limits.maxCellBytes = sizeLimit(config, "max_cell_bytes", limits.maxCellBytes);
    const std::string folder = config.string("spool_dir", "");
    return ExcelReader(limits, folder.empty() ? folder : host.resolvePath(folder));
}

}  // namespace

/// The plugin object; immutable after construction, so read() is thread-safe.
class ExcelConnector final : public Connector {
  public:
    ExcelConnector(HostApi& host, std::string_view configJson)
        : reader_(makeReader(host, configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        if (input.body == nullptr)
            throw ConnectorError(ConnectorError::Kind::badInput, "No file was uploaded");
        reader_.read(*input.body, sink);
    }

  private:
    ExcelReader reader_;
};

}  // namespace mailsift::connectors::excel

MAILSIFT_PLUGIN(mailsift::connectors::excel::ExcelConnector, "mailsift.connector.excel", connector)
