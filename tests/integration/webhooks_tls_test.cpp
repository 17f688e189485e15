// Certificate verification of HTTPS webhook targets, through the real mailsift-server and a real
// HTTPS receiver on loopback with certificates made by the openssl command line: a self-signed
// certificate the server does not trust is refused (nothing delivered, the failure recorded and
// retried); a certificate signed by the CA of webhooks.ca_file (relative to the config file) is
// delivered; a trusted certificate for another host name is still refused; an unreadable
// ca_file stops start-up.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "integration/webhooks_environment.h"
#include "support/test_certificates.h"
#include "webhook/fake_webhook_receiver.h"

using namespace mailsift::testing;
using mailsift::fakes::FakeWebhookReceiver;
using Ms = std::chrono::milliseconds;

namespace {

class WebhooksTlsTest : public ::testing::Test {
  protected:
    /// A server delivering to loopback; `caFile` = "" trusts the system's CAs only. With
    /// `caNextToConfig` the CA is copied next to the config file and named relative to it.
    void startServer(const std::string& caFile, bool caNextToConfig = false) {
        std::string yaml = webhookServerYaml(true, 2000, 10);  // ends inside the webhooks block
        if (!caFile.empty()) {
            yaml += "  ca_file: '" + (caNextToConfig ? "trusted-ca.pem" : caFile) + "'\n";
        }
        fixture_ = std::make_unique<ServerFixture>(ServerSetup{.storeUrl = "", .extraYaml = yaml});
        if (caNextToConfig) {
            std::filesystem::copy_file(
                caFile,
                std::filesystem::path(fixture_->configPath()).parent_path() / "trusted-ca.pem");
        }
        server_ = fixture_->serve();
        key_ = fixture_->bootstrapKey();
        ASSERT_FALSE(key_.empty()) << server_->err();
    }

    HttpClient client() const { return fixture_->client(*server_); }

    /// Subscribes to the receiver's HTTPS URL, finishes a job, and returns the subscription id.
    std::int64_t subscribeAndFinishAJob(const FakeWebhookReceiver& receiver) {
        const auto hook = createWebhook(client(), key_, receiver.url());
        const auto id = hook->getValue<std::int64_t>("id");
        secret_ = hook->getValue<std::string>("secret");
        createInputJob(client(), key_, "ann@example.com");
        return id;
    }

    /// The subscription's only delivery once `done` holds for it (nullptr on timeout).
    Poco::JSON::Object::Ptr waitForDelivery(std::int64_t webhookId,
                                            const std::function<bool(Poco::JSON::Object&)>& done) {
        Poco::JSON::Object::Ptr found;
        waitUntil(
            [&] {
                const auto list = deliveries(client(), key_, webhookId);
                if (list->size() != 1) {
                    return false;
                }
                auto d = list->getObject(0);
                if (!done(*d)) {
                    return false;
                }
                found = d;
                return true;
            },
            Ms(30000));
        return found;
    }

    /// A refused handshake: the delivery stays pending with a certificate error, the receiver
    /// read nothing.
    void expectRefusedAndRetried(FakeWebhookReceiver& receiver, const std::string& reason) {
        const auto hookId = subscribeAndFinishAJob(receiver);
        const auto failing = waitForDelivery(
            hookId, [](Poco::JSON::Object& d) { return d.getValue<int>("attempts") >= 2; });
        ASSERT_TRUE(failing) << server_->err();
        EXPECT_EQ(failing->getValue<std::string>("state"), "pending");
        EXPECT_TRUE(failing->isNull("lastStatus"));
        EXPECT_FALSE(failing->isNull("nextAttemptAt"));
        const std::string error = failing->getValue<std::string>("lastError");
        EXPECT_NE(error.find("certificate could not be verified"), std::string::npos) << error;
        EXPECT_NE(error.find(reason), std::string::npos) << error;
        EXPECT_TRUE(receiver.requests().empty()) << "the body went to an unverified target";
        EXPECT_GE(metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="failed"})"),
                  1);
        EXPECT_EQ(
            metricValue(client(), R"(mailsift_webhook_deliveries_total{outcome="delivered"})"), 0);
    }

    TempDir certs_;
    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
    std::string secret_;
};

TEST_F(WebhooksTlsTest, AnUntrustedSelfSignedCertificateIsRefusedAndRetried) {
    const auto self = makeSelfSigned(certs_, "self", "127.0.0.1", "IP:127.0.0.1");
    FakeWebhookReceiver receiver({self.certificate, self.privateKey});
    startServer("");
    expectRefusedAndRetried(receiver, "self-signed certificate");
}

TEST_F(WebhooksTlsTest, ACertificateFromTheConfiguredCaIsDeliveredSigned) {
    const auto ca = makeCertificateAuthority(certs_, "ca");
    const auto leaf = makeSignedBy(ca, certs_, "leaf", "127.0.0.1", "IP:127.0.0.1");
    FakeWebhookReceiver receiver({leaf.certificate, leaf.privateKey});
    startServer(ca.certificate, true);  // a relative ca_file is taken from the config's folder
    const auto hookId = subscribeAndFinishAJob(receiver);
    ASSERT_TRUE(receiver.waitForRequests(1, Ms(30000))) << server_->err();
    const auto delivered = waitForDelivery(hookId, [](Poco::JSON::Object& d) {
        return d.getValue<std::string>("state") == "delivered";
    });
    ASSERT_TRUE(delivered) << server_->err();
    EXPECT_EQ(delivered->getValue<int>("attempts"), 1);
    EXPECT_EQ(delivered->getValue<int>("lastStatus"), 200);
    const auto requests = receiver.requests();
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_EQ(requests[0].path, "/hooks/mailsift");
    EXPECT_EQ(requests[0].headers.at("x-webhook-signature"),
              hmacSha256Hex(secret_, requests[0].body));
    EXPECT_EQ(parseObject(requests[0].body)->getValue<std::string>("event"),
              "validation.job.completed");
}

TEST_F(WebhooksTlsTest, ATrustedCertificateForAnotherHostIsRefused) {
    const auto ca = makeCertificateAuthority(certs_, "ca");
    const auto other = makeSignedBy(ca, certs_, "other", "other.test", "DNS:other.test");
    FakeWebhookReceiver receiver({other.certificate, other.privateKey});
    startServer(ca.certificate);
    expectRefusedAndRetried(receiver, "not valid for the host 127.0.0.1");
}

TEST_F(WebhooksTlsTest, AnUnreadableCaFileStopsStartUpNamingTheKey) {
    fixture_ = std::make_unique<ServerFixture>(ServerSetup{
        .storeUrl = "",
        .extraYaml = webhookServerYaml(true) + "  ca_file: '" + certs_.file("nope.pem") + "'\n"});
    const CommandResult result = fixture_->run({"serve"});
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.err.find("webhooks.ca_file"), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("nope.pem"), std::string::npos) << result.err;
}

}  // namespace
