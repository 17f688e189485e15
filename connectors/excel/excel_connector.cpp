// mailsift.connector.excel: a thin adapter over ExcelReader (excel_reader.h) for .xlsx and .xls
// uploads. Config keys: max_decompressed_bytes (268435456), max_entries (10000),
// max_compression_ratio (200), max_cell_bytes (131072), spool_dir ("" = the system temp folder;
// relative paths are taken from the config file's folder), xls_reader ("" = mailsift-xls-reader
// beside this plugin's file), xls_timeout_ms (30000), xls_max_memory_bytes (536870912).
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>

#include "common/connector_config.h"
#include "excel/excel_reader.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::excel {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.excel";
constexpr std::string_view kChildName = "mailsift-xls-reader";

/// mailsift-xls-reader in the folder this plugin was loaded from: the build puts it beside the
/// plugin in the build tree and the install beside it in lib/mailsift/plugins, so no setting is
/// needed in either.
std::string besideThisPlugin() {
    Dl_info info{};
    if (::dladdr(reinterpret_cast<const void*>(&besideThisPlugin), &info) == 0 ||
        info.dli_fname == nullptr)
        return std::string(kChildName);
    std::string file = info.dli_fname;
    const std::size_t slash = file.rfind('/');
    return slash == std::string::npos ? std::string(kChildName)
                                      : file.substr(0, slash + 1) + std::string(kChildName);
}

/// Refuses start-up when the .xls reader cannot run: an installation error is better found by
/// whoever starts the server than by a user uploading an .xls weeks later.
void requireExecutable(const std::string& path) {
    struct stat status {};
    std::string problem;
    if (::stat(path.c_str(), &status) != 0)
        problem = std::strerror(errno);
    else if (!S_ISREG(status.st_mode))
        problem = "not a regular file";
    else if (::access(path.c_str(), X_OK) != 0)
        problem = "not executable: " + std::string(std::strerror(errno));
    if (!problem.empty())
        throw std::invalid_argument(
            std::string(kPluginName) + ": xls_reader: the .xls reader " + path +
            " cannot be run (" + problem +
            "); build or install mailsift-xls-reader beside the plugin, or set xls_reader to "
            "its path");
}

ExcelReader makeReader(HostApi& host, std::string_view configJson) {
    using Type = stages::StageConfig::Type;
    const stages::StageConfig config(kPluginName, configJson,
                                     {{"max_decompressed_bytes", Type::integer},
                                      {"max_entries", Type::integer},
                                      {"max_compression_ratio", Type::integer},
                                      {"max_cell_bytes", Type::integer},
                                      {"spool_dir", Type::string},
                                      {"xls_reader", Type::string},
                                      {"xls_timeout_ms", Type::integer},
                                      {"xls_max_memory_bytes", Type::integer}});
    XlsxLimits limits;
    limits.zip.maxDecompressedBytes =
        sizeLimit(config, "max_decompressed_bytes", limits.zip.maxDecompressedBytes);
    limits.zip.maxEntries = sizeLimit(config, "max_entries", limits.zip.maxEntries);
    limits.zip.maxCompressionRatio =
        sizeLimit(config, "max_compression_ratio", limits.zip.maxCompressionRatio);
    limits.maxCellBytes = sizeLimit(config, "max_cell_bytes", limits.maxCellBytes);
    const std::string folder = config.string("spool_dir", "");

    XlsLimits xls;
    const std::string reader = config.string("xls_reader", "");
    xls.executable = reader.empty() ? besideThisPlugin() : host.resolvePath(reader);
    requireExecutable(xls.executable);
    xls.timeout = std::chrono::milliseconds(
        sizeLimit(config, "xls_timeout_ms", static_cast<std::uint64_t>(xls.timeout.count())));
    xls.maxMemoryBytes = sizeLimit(config, "xls_max_memory_bytes", xls.maxMemoryBytes);
    xls.warn = [&host](std::string_view message) {
        host.log(HostApi::LogLevel::warning, kPluginName, message);
    };
    return ExcelReader(limits, folder.empty() ? folder : host.resolvePath(folder), std::move(xls));
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
