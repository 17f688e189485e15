#include "config/env_substitution.h"

#include <gtest/gtest.h>

#include <map>

using mailsift::config::substituteEnv;

namespace {

std::optional<std::string> fakeEnv(const std::string& name) {
    static const std::map<std::string, std::string> vars{{"HOST", "db.local"}, {"EMPTY", ""}};
    auto it = vars.find(name);
    if (it == vars.end())
        return std::nullopt;
    return it->second;
}

}  // namespace

TEST(EnvSubstitution, ReplacesSetVariables) {
    EXPECT_EQ(substituteEnv("mysql://u@${HOST}:3306/x", fakeEnv), "mysql://u@db.local:3306/x");
}

TEST(EnvSubstitution, UsesFallbackWhenUnsetOrEmpty) {
    EXPECT_EQ(substituteEnv("${MISSING:-8080}", fakeEnv), "8080");
    EXPECT_EQ(substituteEnv("${EMPTY:-x}", fakeEnv), "x");
    EXPECT_EQ(substituteEnv("${MISSING:-}", fakeEnv), "");
}

TEST(EnvSubstitution, KeepsEmptyValueWithoutFallback) {
    EXPECT_EQ(substituteEnv("a${EMPTY}b", fakeEnv), "ab");
}

TEST(EnvSubstitution, DollarEscapesAndPlainDollars) {
    EXPECT_EQ(substituteEnv("$${HOST} costs $5", fakeEnv), "${HOST} costs $5");
}

TEST(EnvSubstitution, UnsetWithoutFallbackNamesTheVariable) {
    try {
        substituteEnv("${NOPE}", fakeEnv);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("NOPE is not set"), std::string::npos) << e.what();
    }
}

TEST(EnvSubstitution, UnclosedBraceIsAnError) {
    EXPECT_THROW(substituteEnv("${HOST", fakeEnv), std::invalid_argument);
}
