#include "webhooks/target_policy.h"

#include <gtest/gtest.h>

#include "webhooks/webhook_url.h"

namespace mailsift::webhooks {
namespace {

bool privateAddress(const std::string& text) {
    return isPrivateAddress(Poco::Net::IPAddress(text));
}

TEST(TargetPolicyTest, PrivateLoopbackAndLinkLocalAddressesAreRecognised) {
    for (const char* a : {"127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                          "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
                          "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1",
                          "::ffff:127.0.0.1", "::ffff:10.0.0.1", "ff02::1"}) {
        EXPECT_TRUE(privateAddress(a)) << a;
    }
    for (const char* a : {"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
                          "93.184.216.34", "2001:4860:4860::8888", "::ffff:8.8.8.8"}) {
        EXPECT_FALSE(privateAddress(a)) << a;
    }
}

TEST(TargetPolicyTest, RefusesPrivateTargetsUnlessAllowed) {
    const ResolvedTarget refused = TargetPolicy(false).resolve("127.0.0.1");
    EXPECT_FALSE(refused.address.has_value());
    EXPECT_TRUE(refused.refused);
    EXPECT_NE(refused.problem.find("allow_private_targets"), std::string::npos);
    const ResolvedTarget byName = TargetPolicy(false).resolve("localhost");
    EXPECT_FALSE(byName.address.has_value());
    EXPECT_TRUE(byName.refused);
    const ResolvedTarget allowed = TargetPolicy(true).resolve("127.0.0.1");
    ASSERT_TRUE(allowed.address.has_value());
    EXPECT_EQ(allowed.address->toString(), "127.0.0.1");
}

TEST(TargetPolicyTest, UnresolvableNamesAreAPassingFailureNotARefusal) {
    const ResolvedTarget target = TargetPolicy(false).resolve("no-such-host.invalid");
    EXPECT_FALSE(target.address.has_value());
    EXPECT_FALSE(target.refused);
}

TEST(WebhookUrlTest, OnlyAbsoluteHttpAndHttpsUrlsWithAHost) {
    EXPECT_FALSE(urlProblem("https://hooks.example.com/mailsift?x=1").has_value());
    EXPECT_FALSE(urlProblem("http://127.0.0.1:8080/hook").has_value());
    for (const char* bad : {"", "ftp://example.com/", "example.com/hook", "https:///path",
                            "https://user:pw@example.com/", "https://example.com/#frag",
                            "http://exa mple.com/", "javascript:alert(1)", "file:///etc/passwd"}) {
        EXPECT_TRUE(urlProblem(bad).has_value()) << bad;
    }
    EXPECT_TRUE(urlProblem("https://example.com/" + std::string(kMaxUrlLength, 'a')).has_value());
}

}  // namespace
}  // namespace mailsift::webhooks
