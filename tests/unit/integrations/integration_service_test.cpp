#include "integrations/integration_service.h"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "store/store_factory.h"
#include "support/temp_dir.h"

namespace mailsift::integrations {
namespace {

Poco::JSON::Object::Ptr json(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class IntegrationServiceTest : public ::testing::Test {
  protected:
    void SetUp() override {
        config::StoreConfig storeConfig;
        storeConfig.url = "sqlite://test.db";
        store_ = store::openStore(storeConfig, dir_.path());
        store_->migrate();
        alice_ = store_->createAccount("alice", std::chrono::system_clock::now()).id;
        bob_ = store_->createAccount("bob", std::chrono::system_clock::now()).id;
    }

    IntegrationService service() {
        return IntegrationService(
            *store_, parseKey("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
    }

    std::string errorOf(const std::string& body, IntegrationError::Kind expected) {
        try {
            service().create(alice_, *json(body));
        } catch (const IntegrationError& e) {
            EXPECT_EQ(static_cast<int>(e.kind()), static_cast<int>(expected)) << e.what();
            return e.what();
        }
        ADD_FAILURE() << "no error for " << body;
        return "";
    }

    testing::TempDir dir_;
    std::unique_ptr<store::Store> store_;
    store::Id alice_ = 0;
    store::Id bob_ = 0;
};

TEST_F(IntegrationServiceTest, StoresCredentialsSealedAndShowsOnlyAHint) {
    IntegrationService s = service();
    const IntegrationView created =
        s.create(alice_, *json(R"({"system":"hubspot","name":"CRM","credentials":{"accessToken":)"
                               R"("pat-na1-11112222-3333-4444-5555-666677778888"},)"
                               R"("options":{"listId":"17","writeBack":true}})"));
    EXPECT_EQ(created.record.system, "hubspot");
    EXPECT_EQ(created.record.sealedCredentials, "");
    EXPECT_EQ(created.credentialsHint, "****8888");

    const auto stored = store_->findIntegration(alice_, created.record.id);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->sealedCredentials.find("pat-na1"), std::string::npos);
    EXPECT_EQ(stored->optionsJson.find("pat-na1"), std::string::npos);

    const OpenedIntegration opened = s.open(alice_, created.record.id);
    EXPECT_EQ(opened.spec->plugin, "mailsift.connector.hubspot");
    EXPECT_EQ(json(opened.credentialsJson)->getValue<std::string>("accessToken"),
              "pat-na1-11112222-3333-4444-5555-666677778888");

    EXPECT_EQ(s.list(alice_).size(), 1u);
    EXPECT_TRUE(s.list(bob_).empty());
    EXPECT_THROW(s.get(bob_, created.record.id), IntegrationError);
    EXPECT_THROW(s.open(bob_, created.record.id), IntegrationError);
    s.remove(alice_, created.record.id);
    EXPECT_THROW(s.get(alice_, created.record.id), IntegrationError);
}

TEST_F(IntegrationServiceTest, CredentialsCopiedToAnotherAccountDoNotOpen) {
    IntegrationService s = service();
    const IntegrationView created =
        s.create(alice_, *json(R"({"system":"mailjet","credentials":{"apiKey":"k1234567890ab",)"
                               R"("apiSecret":"s1234567890ab"}})"));
    store::IntegrationRecord copy = *store_->findIntegration(alice_, created.record.id);
    copy.accountId = bob_;
    const store::Id copied = store_->createIntegration(copy, std::chrono::system_clock::now()).id;
    try {
        s.open(bob_, copied);
        FAIL();
    } catch (const IntegrationError& e) {
        EXPECT_EQ(e.kind(), IntegrationError::Kind::unavailable);
    }
    EXPECT_EQ(s.get(bob_, copied).credentialsHint, "");
}

TEST_F(IntegrationServiceTest, RefusesBadRequestsWithSentences) {
    using K = IntegrationError::Kind;
    EXPECT_NE(errorOf(R"({"system":"salesforce","credentials":{}})", K::badRequest)
                  .find("hubspot, mailjet or mailchimp"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"hubspot"})", K::badRequest).find("credentials"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"hubspot","credentials":{}})", K::badRequest)
                  .find("credentials.accessToken"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"mailjet","credentials":{"apiKey":"a"}})", K::badRequest)
                  .find("credentials.apiSecret"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"mailchimp","credentials":{"apiKey":"abc"},)"
                      R"("options":{"listId":"x"}})",
                      K::badRequest)
                  .find("data centre"),
              std::string::npos);
    EXPECT_NE(
        errorOf(R"({"system":"mailchimp","credentials":{"apiKey":"abc-us21"}})", K::badRequest)
            .find("options.listId"),
        std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"hubspot","credentials":{"accessToken":"t"},)"
                      R"("options":{"writeBack":"yes"}})",
                      K::badRequest)
                  .find("writeBack"),
              std::string::npos);
    EXPECT_NE(errorOf(R"({"system":"hubspot","credentials":{"accessToken":"t"},"extra":1})",
                      K::badRequest)
                  .find("extra"),
              std::string::npos);
    const std::string body = R"({"system":"hubspot","name":"a","credentials":{"accessToken":"t"}})";
    service().create(alice_, *json(body));
    EXPECT_NE(errorOf(body, K::conflict).find("\"a\""), std::string::npos);
}

TEST_F(IntegrationServiceTest, WithoutAKeyEveryCallSaysHowToSetOne) {
    IntegrationService off(*store_, std::nullopt);
    EXPECT_FALSE(off.enabled());
    try {
        off.list(alice_);
        FAIL();
    } catch (const IntegrationError& e) {
        EXPECT_EQ(e.kind(), IntegrationError::Kind::unavailable);
        EXPECT_NE(std::string(e.what()).find("MAILSIFT_SECRET_KEY"), std::string::npos);
    }
    EXPECT_THROW(off.create(alice_, *json(R"({"system":"hubspot"})")), IntegrationError);
}

}  // namespace
}  // namespace mailsift::integrations
