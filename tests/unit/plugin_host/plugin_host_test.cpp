// Good plugins, config mistakes, lifetime and ODR isolation, all through PluginHost::load().
#include "plugin_host/plugin_host.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_host.h"

namespace mailsift::plugin_host::test {
namespace {

using Reason = PluginError::Reason;

class CollectingSink final : public RowSink {
  public:
    void row(std::string_view emailCell) override { rows.emplace_back(emailCell); }
    bool stopRequested() const override { return false; }
    std::vector<std::string> rows;
};

Batch batchOf(std::vector<std::string> inputs) {
    Batch batch;
    for (std::string& input : inputs)
        batch.items.push_back(Item{std::move(input), {}, {}, false});
    return batch;
}

TEST(PluginHost, LoadsConfiguredStageAndConnectorThatWork) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("good", {{"test.stage.good", R"({"level":3})"}},
                                       {{"test.connector.lines", "{}"}}));
    host.load();

    ASSERT_EQ(host.stages().size(), 1U);
    EXPECT_TRUE(api.logged(R"(test.stage.good: configured with {"level":3})"));
    Batch batch = batchOf({"a@example.com", "bad"});
    batch.items[1].settled = true;
    StageContext context{api};
    host.stages()[0]->run(batch, context);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::mxFound));
    EXPECT_FALSE(batch.items[1].evidence.has(Fact::mxFound)) << "settled items are skipped";

    Connector* lines = host.connector("test.connector.lines");
    ASSERT_NE(lines, nullptr);
    ConnectorInput input;
    input.text = "a@example.com\nb@example.com";
    CollectingSink sink;
    lines->read(input, sink);
    EXPECT_EQ(sink.rows, (std::vector<std::string>{"a@example.com", "b@example.com"}));
    EXPECT_EQ(host.connector("test.connector.nope"), nullptr);
    EXPECT_TRUE(host.refused().empty());
}

TEST(PluginHost, ListsEveryAcceptedFileWithVersions) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("good", {{"test.stage.good", "{}"}}));
    host.load();

    const std::vector<PluginInfo> infos = host.list();
    ASSERT_EQ(infos.size(), 2U);
    EXPECT_EQ(infos[0].name, "test.connector.lines");
    EXPECT_EQ(infos[0].kind, "connector");
    EXPECT_EQ(infos[0].version, "0.4.0");
    EXPECT_EQ(infos[0].file, "good_connector.so");
    EXPECT_FALSE(infos[0].enabled) << "not in the config";
    EXPECT_EQ(infos[1].name, "test.stage.good");
    EXPECT_EQ(infos[1].kind, "stage");
    EXPECT_EQ(infos[1].version, "1.2.3");
    EXPECT_EQ(infos[1].abiMajor, MAILSIFT_ABI_MAJOR);
    EXPECT_EQ(infos[1].abiMinor, MAILSIFT_ABI_MINOR);
    EXPECT_EQ(infos[1].file, "good_stage.so");
    EXPECT_TRUE(infos[1].enabled);
    EXPECT_EQ(host.connector("test.connector.lines"), nullptr) << "accepted but not configured";
}

TEST(PluginHost, DestroysInstancesInReverseOrderOfCreation) {
    RecordingHost api;
    {
        PluginHost host(api, pluginsConfig("good", {{"test.stage.good", "{}"}},
                                           {{"test.connector.lines", "{}"}}));
        host.load();
        EXPECT_FALSE(api.logged("destroyed"));
    }
    std::vector<std::string> destroyed;
    std::copy_if(api.lines.begin(), api.lines.end(), std::back_inserter(destroyed),
                 [](const std::string& line) { return line.ends_with("destroyed"); });
    EXPECT_EQ(destroyed, (std::vector<std::string>{"test.connector.lines: destroyed",
                                                   "test.stage.good: destroyed"}));
}

TEST(PluginHost, UnknownNameListsTheAvailableOnes) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("good", {{"test.stage.nope", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].reason(), Reason::unknownName);
    EXPECT_EQ(std::string(errors[0].what()),
              "plugins.stages[0].name: no plugin named test.stage.nope in " + caseDir("good") +
                  "; available: test.connector.lines (connector), test.stage.good (stage)");
}

TEST(PluginHost, ConnectorListedAsStageIsTheWrongKind) {
    RecordingHost api;
    PluginHost host(
        api, pluginsConfig("good", {{"test.connector.lines", "{}"}}, {{"test.stage.good", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 2U) << "every problem is reported, not only the first";
    EXPECT_EQ(errors[0].reason(), Reason::wrongKind);
    EXPECT_EQ(std::string(errors[0].what()),
              "plugins.stages[0].name: plugin test.connector.lines has the wrong kind: expected "
              "stage, found connector");
    EXPECT_EQ(std::string(errors[1].what()),
              "plugins.connectors[0].name: plugin test.stage.good has the wrong kind: expected "
              "connector, found stage");
}

TEST(PluginHost, SamePluginListedTwiceIsAnError) {
    RecordingHost api;
    PluginHost host(api,
                    pluginsConfig("good", {{"test.stage.good", "{}"}, {"test.stage.good", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].reason(), Reason::listedTwice);
    EXPECT_TRUE(anyContains(errors, "plugins.stages[1].name: plugin test.stage.good is listed"));
}

TEST(PluginHost, CreateThatThrowsIsReportedWithThePluginsMessage) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("throwing",
                                       {{"test.stage.good", "{}"},
                                        {"test.stage.throwing", "{}"},
                                        {"test.stage.raw_throw", "{}"}},
                                       {{"test.connector.lines", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].reason(), Reason::createFailed);
    EXPECT_TRUE(
        anyContains(errors,
                    "plugin test.stage.throwing: create failed: list file "
                    "/nowhere/roles.txt cannot be opened (config at plugins.stages[1].config)"));
    // A hand-written create that lets an exception escape is caught by the host as well.
    EXPECT_TRUE(anyContains(errors,
                            "plugin test.stage.raw_throw: create failed: exception: thrown "
                            "straight through the C boundary"));
    // What was created before the failure is gone again, newest first.
    EXPECT_TRUE(api.logged("test.connector.lines: destroyed"));
    EXPECT_TRUE(api.logged("test.stage.good: destroyed"));
    EXPECT_TRUE(host.stages().empty());
    EXPECT_EQ(host.connector("test.connector.lines"), nullptr);
}

TEST(PluginHost, LoadErrorSummaryNamesEveryProblem) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("good", {{"test.stage.a", "{}"}, {"test.stage.b", "{}"}}));
    try {
        host.load();
        FAIL() << "load() did not throw";
    } catch (const PluginLoadError& error) {
        const std::string what = error.what();
        EXPECT_EQ(what.rfind("plugins: 2 problems stop start-up:", 0), 0U) << what;
        EXPECT_NE(what.find("no plugin named test.stage.a"), std::string::npos) << what;
        EXPECT_NE(what.find("no plugin named test.stage.b"), std::string::npos) << what;
    }
}

TEST(PluginHost, TwoFilesWithOneNameKeepTheFirstAndRefuseTheSecond) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("duplicate", {}));
    host.load();
    ASSERT_EQ(host.refused().size(), 1U);
    EXPECT_EQ(host.refused()[0].reason(), Reason::duplicateName);
    EXPECT_STREQ(host.refused()[0].what(),
                 "plugin file good_stage_copy.so: plugin name test.stage.good is already provided "
                 "by good_stage.so");
    ASSERT_EQ(host.list().size(), 1U);
    EXPECT_EQ(host.list()[0].version, "1.2.3");
}

TEST(PluginHost, NamingAPluginThatTwoFilesProvideStopsStartUp) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("duplicate", {{"test.stage.good", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].reason(), Reason::duplicateName);
    EXPECT_TRUE(anyContains(errors, "plugins.stages[0].name: plugin test.stage.good is refused: "));
}

TEST(PluginHost, SameClassNameInTwoPluginsKeepsTwoBehaviours) {
    RecordingHost api;
    PluginHost host(api,
                    pluginsConfig("odr", {{"test.stage.odr_a", "{}"}, {"test.stage.odr_b", "{}"}}));
    host.load();
    ASSERT_EQ(host.stages().size(), 2U);
    StageContext context{api};

    Batch first = batchOf({"a@example.com"});
    host.stages()[0]->run(first, context);
    EXPECT_EQ(first.items[0].evidence.facts, std::vector<Fact>{Fact::roleAccount});

    Batch second = batchOf({"a@example.com"});
    host.stages()[1]->run(second, context);
    EXPECT_EQ(second.items[0].evidence.facts, std::vector<Fact>{Fact::freeProvider});
}

TEST(PluginHost, MissingFolderStopsStartUpOnlyWhenPluginsAreConfigured) {
    RecordingHost api;
    PluginHost configured(api, pluginsConfig("no_such_case", {{"test.stage.good", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(configured);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].reason(), Reason::noFolder);
    EXPECT_EQ(std::string(errors[0].what()),
              "plugins.dir: " + caseDir("no_such_case") + " is not a folder");

    PluginHost empty(api, pluginsConfig("no_such_case", {}));
    EXPECT_NO_THROW(empty.load());
    EXPECT_TRUE(empty.list().empty());
    EXPECT_TRUE(api.logged("is not a folder"));
}

TEST(PluginHost, LoadTwiceIsAProgrammingError) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("good", {}));
    host.load();
    EXPECT_THROW(host.load(), std::logic_error);
}

}  // namespace
}  // namespace mailsift::plugin_host::test
