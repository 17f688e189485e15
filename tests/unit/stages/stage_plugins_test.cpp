// The three stage plugins loaded the way the server loads them: PluginHost, PluginHostApi, the
// build's plugin folder and the shipped config/lists, then one Batch run through the pipeline.
#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/config.h"
#include "plugin_host/host_api_impl.h"
#include "plugin_host/plugin_error.h"
#include "plugin_host/plugin_host.h"

namespace mailsift::stages {
namespace {

using plugin_host::PluginHost;
using plugin_host::PluginHostApi;
using plugin_host::PluginLoadError;

config::PluginsConfig stagesConfig(std::string syntax = "{}", std::string lists = "{}",
                                   std::string typo = "{}") {
    config::PluginsConfig config;
    config.dir = MAILSIFT_STAGES_PLUGIN_DIR;
    config.stages = {{"mailsift.stage.syntax", std::move(syntax)},
                     {"mailsift.stage.lists", std::move(lists)},
                     {"mailsift.stage.typo", std::move(typo)}};
    return config;
}

PluginHostApi makeApi() {
    return PluginHostApi(Poco::Logger::get("stages_test"), MAILSIFT_STAGES_CONFIG_DIR);
}

/// The load error's sentences joined, or "" when load() succeeded.
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

Batch batchOf(const std::vector<std::string>& inputs) {
    Batch batch;
    for (const std::string& input : inputs)
        batch.items.push_back(Item{input, {}, {}, false});
    return batch;
}

TEST(StagePlugins, RunABatchThroughSyntaxListsAndTypo) {
    PluginHostApi api = makeApi();
    PluginHost host(api, stagesConfig());
    ASSERT_EQ(loadError(host), "");
    ASSERT_EQ(host.stages().size(), 3U);

    Batch batch =
        batchOf({"Admin+news@Gmial.com", "bad@@example.com", "jane@mailinator.com",
                 "  jane@GMAIL.com ", "\"john doe\"@example.com", "jane@[192.0.2.1]",
                 "用户@例子.广告", "jane@gmx.com", "ceo@acme-widgets.con", "jane@anything.33m.co"});
    StageContext context{api};
    for (ValidatorStage* stage : host.stages())
        stage->run(batch, context);
    const auto& items = batch.items;

    EXPECT_EQ(items[0].address.normalized, "Admin+news@gmial.com");
    EXPECT_TRUE(items[0].evidence.has(Fact::freeProvider)) << "gmial.com is on the free list";
    EXPECT_TRUE(items[0].evidence.has(Fact::roleAccount));
    EXPECT_TRUE(items[0].evidence.has(Fact::likelyTypo));
    EXPECT_EQ(items[0].evidence.suggestion, "Admin+news@gmail.com");
    EXPECT_FALSE(items[0].settled);

    EXPECT_EQ(items[1].evidence.facts, std::vector<Fact>{Fact::syntaxInvalid});
    EXPECT_TRUE(items[1].settled);
    EXPECT_TRUE(items[1].address.normalized.empty());

    EXPECT_EQ(items[2].evidence.facts, std::vector<Fact>{Fact::disposableDomain});

    EXPECT_EQ(items[3].address.normalized, "jane@gmail.com");
    EXPECT_EQ(items[3].evidence.facts, std::vector<Fact>{Fact::freeProvider});
    EXPECT_TRUE(items[3].evidence.suggestion.empty());

    EXPECT_EQ(items[4].evidence.facts, std::vector<Fact>{Fact::quotedLocalPart});
    EXPECT_TRUE(items[4].address.quotedLocal);

    EXPECT_EQ(items[5].evidence.facts, std::vector<Fact>{Fact::ipLiteralDomain});
    EXPECT_EQ(items[5].address.domain, "[192.0.2.1]");

    EXPECT_EQ(items[6].address.domain, "xn--fsqu00a.xn--4rr70v");
    EXPECT_EQ(items[6].address.normalized, "用户@xn--fsqu00a.xn--4rr70v");
    EXPECT_TRUE(items[6].address.utf8Local);
    EXPECT_TRUE(items[6].evidence.facts.empty());

    EXPECT_EQ(items[7].evidence.facts, std::vector<Fact>{Fact::freeProvider}) << "gmx.com is real";

    EXPECT_EQ(items[8].evidence.suggestion, "ceo@acme-widgets.com");
    EXPECT_TRUE(items[8].evidence.has(Fact::roleAccount));
    EXPECT_TRUE(items[8].evidence.has(Fact::likelyTypo));

    EXPECT_EQ(items[9].evidence.facts, std::vector<Fact>{Fact::disposableDomain});
}

TEST(StagePlugins, SkipSettledItemsAndHonourCancellation) {
    PluginHostApi api = makeApi();
    PluginHost host(api, stagesConfig());
    ASSERT_EQ(loadError(host), "");
    Batch batch = batchOf({"admin@gmial.com"});
    batch.items[0].settled = true;
    StageContext context{api};
    for (ValidatorStage* stage : host.stages())
        stage->run(batch, context);
    EXPECT_TRUE(batch.items[0].evidence.facts.empty());
    EXPECT_TRUE(batch.items[0].address.normalized.empty());

    std::vector<std::string> many(5000, "admin@gmail.com");
    Batch cancelled = batchOf(many);
    const std::atomic<bool> flag{true};
    cancelled.cancelFlag = &flag;
    host.stages()[0]->run(cancelled, context);
    EXPECT_TRUE(cancelled.items.back().address.normalized.empty()) << "stopped early";
}

TEST(StagePlugins, SyntaxOptionsComeFromTheConfig) {
    PluginHostApi api = makeApi();
    PluginHost host(api,
                    stagesConfig(R"({"allow_utf8_local":false,"allow_single_label_domain":true})"));
    ASSERT_EQ(loadError(host), "");
    Batch batch = batchOf({"Pelé@example.com", "root@localhost"});
    StageContext context{api};
    host.stages()[0]->run(batch, context);
    EXPECT_TRUE(batch.items[0].evidence.has(Fact::syntaxInvalid));
    EXPECT_FALSE(batch.items[1].settled);
    EXPECT_EQ(batch.items[1].address.normalized, "root@localhost");
}

TEST(StagePlugins, UnknownConfigKeyStopsStartUpNamingTheKey) {
    PluginHostApi api = makeApi();
    PluginHost host(api, stagesConfig(R"({"allow_utf8":true})", R"({"role_fiel":"x"})",
                                      R"({"max_distance":9})"));
    const std::string error = loadError(host);
    EXPECT_NE(error.find("unknown config key 'allow_utf8'"), std::string::npos) << error;
    EXPECT_NE(error.find("unknown config key 'role_fiel'"), std::string::npos) << error;
    EXPECT_NE(error.find("max_distance must be between 0 and 3"), std::string::npos) << error;
}

TEST(StagePlugins, MissingListFileStopsStartUpNamingFileAndKey) {
    PluginHostApi api = makeApi();
    PluginHost host(api, stagesConfig("{}", R"({"role_file":"lists/no_such_file.txt"})",
                                      R"({"providers_file":"/nonexistent/providers.txt"})"));
    const std::string error = loadError(host);
    EXPECT_NE(error.find("lists/no_such_file.txt"), std::string::npos) << error;
    EXPECT_NE(error.find("config key role_file"), std::string::npos) << error;
    EXPECT_NE(error.find("/nonexistent/providers.txt"), std::string::npos) << error;
    EXPECT_NE(error.find("config key providers_file"), std::string::npos) << error;
}

}  // namespace
}  // namespace mailsift::stages
