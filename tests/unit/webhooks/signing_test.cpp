#include "webhooks/signing.h"

#include <gtest/gtest.h>

#include <set>

namespace mailsift::webhooks {
namespace {

TEST(SigningTest, MatchesTheRfc4231TestVector) {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    EXPECT_EQ(signBody("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(SigningTest, DependsOnEveryByteOfBodyAndSecret) {
    const std::string body = R"({"event":"validation.job.completed","jobId":1})";
    const std::string signature = signBody("whsec_a", body);
    EXPECT_EQ(signature.size(), 64u);
    EXPECT_EQ(signBody("whsec_a", body), signature);
    EXPECT_NE(signBody("whsec_b", body), signature);
    EXPECT_NE(signBody("whsec_a", body + " "), signature);
}

TEST(SigningTest, SecretsAreFreshAndLongEnough) {
    std::set<std::string> secrets;
    for (int i = 0; i < 100; ++i) {
        const std::string secret = newSecret();
        EXPECT_EQ(secret.rfind("whsec_", 0), 0u);
        EXPECT_EQ(secret.size(), 6u + 64u);
        secrets.insert(secret);
    }
    EXPECT_EQ(secrets.size(), 100u);
}

TEST(SigningTest, ConstantTimeEquals) {
    EXPECT_TRUE(constantTimeEquals("abc", "abc"));
    EXPECT_FALSE(constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(constantTimeEquals("abc", "ab"));
}

}  // namespace
}  // namespace mailsift::webhooks
