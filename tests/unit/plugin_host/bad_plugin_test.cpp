// Plugin files with a bad descriptor: each is refused with a sentence naming the field and both
// values; a refused file stops start-up only when the config names it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mailsift/build_tag.h"
#include "mailsift/plugin_descriptor.h"
#include "plugin_host/plugin_host.h"
#include "test_host.h"

namespace mailsift::plugin_host::test {
namespace {

using Reason = PluginError::Reason;

const std::string kHostStructSize = std::to_string(sizeof(MailsiftPluginDescriptor));

/// Loads a case folder with nothing configured and returns its single refusal.
PluginError strayRefusal(const std::string& caseName, RecordingHost& api) {
    PluginHost host(api, pluginsConfig(caseName, {}));
    host.load();  // a stray bad file must not stop start-up
    EXPECT_TRUE(host.list().empty());
    if (host.refused().size() != 1U) {
        ADD_FAILURE() << caseName << ": expected one refused file, got " << host.refused().size();
        return PluginError(Reason::noFolder, "", "", "none");
    }
    return host.refused()[0];
}

TEST(BadPlugin, StructSizeNamesFieldAndBothValues) {
    RecordingHost api;
    const PluginError error = strayRefusal("struct_size", api);
    EXPECT_EQ(error.reason(), Reason::structSize);
    EXPECT_EQ(error.file(), "struct_size.so");
    EXPECT_EQ(error.pluginName(), "") << "nothing past struct_size is trusted";
    const std::string expected =
        "plugin file struct_size.so: descriptor field struct_size is 40, "
        "the host expects " +
        kHostStructSize;
    EXPECT_STREQ(error.what(), expected.c_str());
    EXPECT_TRUE(api.logged("mailsift.plugin_host: " + expected + "; the file is ignored"));
}

TEST(BadPlugin, AbiMajorNamesFieldAndBothValues) {
    RecordingHost api;
    const PluginError error = strayRefusal("abi_major", api);
    EXPECT_EQ(error.reason(), Reason::abiMajor);
    EXPECT_STREQ(error.what(),
                 "plugin file abi_major.so: descriptor field abi_major is 2, the host "
                 "expects 1");
}

TEST(BadPlugin, BuildTagNamesFieldAndBothValues) {
    RecordingHost api;
    const PluginError error = strayRefusal("build_tag", api);
    EXPECT_EQ(error.reason(), Reason::buildTag);
    EXPECT_EQ(error.pluginName(), "test.stage.tagged");
    EXPECT_NE(std::string(error.what())
                  .find("plugin file build_tag.so: descriptor field build_tag is "
                        "\"GNU-4.8.5/libstdc++/c++11/sdk-0123456789abcdef\", the host expects "
                        "\"" MAILSIFT_BUILD_TAG "\""),
              std::string::npos)
        << error.what();
}

TEST(BadPlugin, UnknownKindNamesFieldAndBothValues) {
    RecordingHost api;
    const PluginError error = strayRefusal("kind", api);
    EXPECT_EQ(error.reason(), Reason::unknownKind);
    EXPECT_STREQ(error.what(),
                 "plugin file bad_kind.so: descriptor field kind is 7, the host "
                 "expects 1 (stage) or 2 (connector)");
}

TEST(BadPlugin, MissingDescriptorSymbolSaysSo) {
    RecordingHost api;
    const PluginError error = strayRefusal("no_symbol", api);
    EXPECT_EQ(error.reason(), Reason::noDescriptor);
    EXPECT_STREQ(error.what(),
                 "plugin file no_symbol.so: no symbol mailsift_plugin_descriptor; is "
                 "it built with MAILSIFT_PLUGIN?");
}

TEST(BadPlugin, EmptyNameIsRefused) {
    RecordingHost api;
    const PluginError error = strayRefusal("empty_name", api);
    EXPECT_EQ(error.reason(), Reason::badField);
    EXPECT_STREQ(error.what(),
                 "plugin file empty_name.so: descriptor field name is empty, the host "
                 "expects a dotted name such as mailsift.stage.example");
}

TEST(BadPlugin, StrayBadFileBesideAGoodOneIsOnlyAWarning) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("mixed", {{"test.stage.good", "{}"}}));
    host.load();
    EXPECT_EQ(host.stages().size(), 1U);
    ASSERT_EQ(host.refused().size(), 1U);
    EXPECT_EQ(host.refused()[0].reason(), Reason::structSize);
    EXPECT_TRUE(api.logged("struct_size.so: descriptor field struct_size is 40"));
}

TEST(BadPlugin, NamedPluginRefusedForItsBuildTagStopsStartUp) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("build_tag", {{"test.stage.tagged", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 1U);
    EXPECT_EQ(errors[0].reason(), Reason::buildTag);
    EXPECT_TRUE(anyContains(errors,
                            "plugins.stages[0].name: plugin test.stage.tagged is refused: "
                            "plugin file build_tag.so: descriptor field build_tag is "));
    EXPECT_TRUE(host.refused().empty()) << "the refusal became the start-up error";
}

TEST(BadPlugin, NamedPluginWhoseNameCannotBeReadStopsStartUpWithTheRefusal) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("struct_size", {{"test.stage.old", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].reason(), Reason::unknownName);
    EXPECT_TRUE(anyContains(errors, "no plugin named test.stage.old in " + caseDir("struct_size") +
                                        "; available: none"));
    EXPECT_EQ(errors[1].reason(), Reason::structSize);
    EXPECT_TRUE(anyContains(errors,
                            "plugins.stages[0].name: test.stage.old may be this refused "
                            "file: plugin file struct_size.so: descriptor field "
                            "struct_size is 40, the host expects " +
                                kHostStructSize));
}

TEST(BadPlugin, NamedPluginWithFutureAbiStopsStartUp) {
    RecordingHost api;
    PluginHost host(api, pluginsConfig("abi_major", {}, {{"test.stage.future", "{}"}}));
    const std::vector<PluginError> errors = loadErrors(host);
    EXPECT_TRUE(anyContains(errors, "descriptor field abi_major is 2, the host expects 1"));
}

}  // namespace
}  // namespace mailsift::plugin_host::test
