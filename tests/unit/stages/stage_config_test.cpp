// StageConfig and readListFile: the two ways a stage's configuration can stop start-up.
#include "common/stage_config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "common/list_file.h"

namespace mailsift::stages {
namespace {

using Type = StageConfig::Type;

std::string errorOf(std::string_view json) {
    try {
        StageConfig config(
            "test.stage", json,
            {{"path", Type::string}, {"on", Type::boolean}, {"count", Type::integer}});
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "";
}

TEST(StageConfig, ReadsKnownKeysAndDefaults) {
    const StageConfig config(
        "test.stage", R"({"path":"x.txt","on":false,"count":3})",
        {{"path", Type::string}, {"on", Type::boolean}, {"count", Type::integer}});
    EXPECT_EQ(config.string("path", "d"), "x.txt");
    EXPECT_FALSE(config.boolean("on", true));
    EXPECT_EQ(config.integer("count", 0), 3);

    const StageConfig empty("test.stage", "", {{"path", Type::string}});
    EXPECT_EQ(empty.string("path", "fallback"), "fallback");
    EXPECT_FALSE(empty.has("path"));
}

TEST(StageConfig, RefusesUnknownKeysNamingThem) {
    const std::string error = errorOf(R"({"paht":"x"})");
    EXPECT_NE(error.find("test.stage"), std::string::npos) << error;
    EXPECT_NE(error.find("unknown config key 'paht'"), std::string::npos) << error;
    EXPECT_NE(error.find("path, on, count"), std::string::npos) << error;
}

TEST(StageConfig, RefusesWrongTypesAndBadJson) {
    EXPECT_NE(errorOf(R"({"path":1})").find("config key path must be a string"), std::string::npos);
    EXPECT_NE(errorOf(R"({"on":"yes"})").find("config key on must be true or false"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"count":1.5})").find("config key count must be an integer"),
              std::string::npos);
    EXPECT_NE(errorOf("[1,2]").find("must be a JSON object"), std::string::npos);
    EXPECT_NE(errorOf("{nope").find("not valid JSON"), std::string::npos);
}

TEST(ListFile, ReadsEntriesSkippingCommentsAndBlanks) {
    const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                       ("mailsift_list_test_" + std::to_string(::getpid()));
    {
        std::ofstream out(path);
        out << "# comment\n\n  Example.COM  \r\nexämple.com\ntrailing.dot.\n☃.com\n";
    }
    const std::vector<std::string> entries =
        readListFile(path.string(), ListKind::domains, "some_file", "test.stage");
    std::filesystem::remove(path);
    EXPECT_EQ(entries,
              (std::vector<std::string>{"example.com", "xn--exmple-cua.com", "trailing.dot"}));
}

TEST(ListFile, NamesTheFileAndTheKeyWhenMissing) {
    try {
        readListFile("/nonexistent/lists/role.txt", ListKind::localParts, "role_file",
                     "test.stage");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find("/nonexistent/lists/role.txt"), std::string::npos) << message;
        EXPECT_NE(message.find("config key role_file"), std::string::npos) << message;
        EXPECT_NE(message.find("test.stage"), std::string::npos) << message;
    }
}

}  // namespace
}  // namespace mailsift::stages
