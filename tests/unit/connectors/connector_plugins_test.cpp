// The three connector plugins loaded the way the server loads them: PluginHost, PluginHostApi and
// the build's plugin folder, then one read through each.
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "collecting_sink.h"
#include "config/config.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_error.h"
#include "plugin_host/plugin_host.h"
#include "xlsx_builder.h"

namespace mailsift::connectors {
namespace {

using plugin_host::PluginHost;
using plugin_host::PluginHostApi;
using plugin_host::PluginLoadError;
using testing::CollectingSink;
using Rows = std::vector<std::string>;

config::PluginsConfig connectorsConfig(std::string file = "{}", std::string input = "{}",
                                       std::string excel = "{}") {
    config::PluginsConfig config;
    config.dir = MAILSIFT_CONNECTORS_PLUGIN_DIR;
    config.connectors = {{"mailsift.connector.file", std::move(file)},
                         {"mailsift.connector.input", std::move(input)},
                         {"mailsift.connector.excel", std::move(excel)}};
    return config;
}

PluginHostApi makeApi() {
    return PluginHostApi(Poco::Logger::get("connectors_test"), MAILSIFT_CONNECTORS_CONFIG_DIR);
}

std::string loadError(PluginHost& host) {
    try {
        host.load();
    } catch (const PluginLoadError& error) {
        std::string all;
        for (const auto& each : error.errors())
            all += std::string(each.what()) + "\n";
        return all;
    }
    return "";
}

TEST(ConnectorPlugins, FileReadsCsv) {
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig(R"({"max_line_bytes": 1000, "max_field_bytes": 500})"));
    ASSERT_EQ(loadError(host), "");
    Connector* connector = host.connector("mailsift.connector.file");
    ASSERT_NE(connector, nullptr);
    std::istringstream body("name;Email\r\nAnn;ann@example.com\r\n");
    ConnectorInput input;
    input.body = &body;
    CollectingSink sink;
    connector->read(input, sink);
    EXPECT_EQ(sink.rows, Rows{"ann@example.com"});

    std::istringstream tooLong(std::string(2000, 'x'));
    input.body = &tooLong;
    try {
        connector->read(input, sink);
        FAIL() << "no error";
    } catch (const ConnectorError& error) {
        EXPECT_EQ(error.kind(), ConnectorError::Kind::tooLarge);
        EXPECT_STREQ(error.what(), "line 1 is longer than the limit of 1000 bytes");
    }
}

TEST(ConnectorPlugins, InputSplitsTheField) {
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig());
    ASSERT_EQ(loadError(host), "");
    ConnectorInput input;
    input.text = "a@example.com, b@example.com;c@example.com\n";
    CollectingSink sink;
    host.connector("mailsift.connector.input")->read(input, sink);
    EXPECT_EQ(sink.rows, (Rows{"a@example.com", "b@example.com", "c@example.com"}));
}

TEST(ConnectorPlugins, ExcelReadsXlsx) {
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig("{}", "{}", R"({"max_entries": 50, "spool_dir": ""})"));
    ASSERT_EQ(loadError(host), "");
    const std::string sheet =
        "<row r=\"1\">" + testing::inlineCell("A1", "a@example.com") + "</row>";
    std::istringstream body(testing::zipParts(testing::workbookParts(sheet)));
    ConnectorInput input;
    input.body = &body;
    input.fileName = "upload.csv";  // the name does not matter, the bytes do
    CollectingSink sink;
    host.connector("mailsift.connector.excel")->read(input, sink);
    EXPECT_EQ(sink.rows, Rows{"a@example.com"});
}

TEST(ConnectorPlugins, ExcelReadsXlsThroughTheReaderBesideThePlugin) {
    // No xls_reader setting: the plugin finds mailsift-xls-reader in its own folder.
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig());
    ASSERT_EQ(loadError(host), "");
    std::ifstream body(
        std::string(MAILSIFT_CONNECTORS_CONFIG_DIR) + "/../tests/fuzz/corpus/xls/two_columns",
        std::ios::binary);
    ASSERT_TRUE(body.good());
    ConnectorInput input;
    input.body = &body;
    CollectingSink sink;
    host.connector("mailsift.connector.excel")->read(input, sink);
    EXPECT_EQ(sink.rows, (Rows{"ann@example.com", "42", "3.5", "2024-05-17"}));

    // libfreexl ran in the reader process only: it was never loaded into this one.
    std::ifstream maps("/proc/self/maps");
    std::string line;
    bool freexl = false;
    while (std::getline(maps, line))
        freexl = freexl || line.find("libfreexl") != std::string::npos;
    EXPECT_FALSE(freexl) << "libfreexl is mapped into the process that loaded the plugin";
}

TEST(ConnectorPlugins, AnXlsReaderThatCannotRunStopsTheLoad) {
    PluginHostApi api = makeApi();
    PluginHost host(api,
                    connectorsConfig("{}", "{}", R"({"xls_reader": "/nonexistent/xls-reader"})"));
    const std::string error = loadError(host);
    EXPECT_NE(error.find("mailsift.connector.excel: xls_reader: the .xls reader "
                         "/nonexistent/xls-reader cannot be run (No such file or directory)"),
              std::string::npos)
        << error;

    PluginHost notExecutable(
        api, connectorsConfig("{}", "{}",
                              std::string(R"({"xls_reader": ")") + MAILSIFT_CONNECTORS_CONFIG_DIR +
                                  "/mailsift.yaml\"}"));
    EXPECT_NE(loadError(notExecutable).find("not executable"), std::string::npos);
}

TEST(ConnectorPlugins, UnknownOrBadConfigKeysStopTheLoad) {
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig(R"({"max_lines": 5})", "{}", R"({"max_entries": 0})"));
    const std::string error = loadError(host);
    EXPECT_NE(error.find("max_lines"), std::string::npos) << error;
    EXPECT_NE(error.find("max_entries"), std::string::npos) << error;
}

TEST(ConnectorPlugins, MissingBodyIsBadInput) {
    PluginHostApi api = makeApi();
    PluginHost host(api, connectorsConfig());
    ASSERT_EQ(loadError(host), "");
    CollectingSink sink;
    for (const char* name : {"mailsift.connector.file", "mailsift.connector.excel"})
        EXPECT_THROW(host.connector(name)->read(ConnectorInput{}, sink), ConnectorError) << name;
}

}  // namespace
}  // namespace mailsift::connectors
