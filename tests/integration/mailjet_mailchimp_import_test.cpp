// Jobs from Mailjet and Mailchimp integrations through the real mailsift-server and connector
// plugins against their fakes on loopback: 25,000 contacts each imported (Limit/Offset and
// count/offset paging, with a 429 + Retry-After), verified and written back (contact data,
// merge fields); bad credentials, a missing list and the Mailchimp data centre.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/server_fixture.h"
#include "providers/fake_mailjet.h"

using namespace mailsift::testing;

namespace {

const std::string kKey = "8f1c0a8e5b3d4f6a7c9e1b2d3f4a5c6e7d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
constexpr int kContacts = 25000;

Poco::JSON::Object::Ptr object(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string emailAt(int i) {
    return i % 1000 == 999 ? "broken-address-" + std::to_string(i)
                           : "member" + std::to_string(i) + "@example.org";
}

/// The server with the mailjet and mailchimp connectors pointed at the fakes.
class ProviderServer {
  public:
    ProviderServer(const std::string& mailjetUrl, const std::string& mailchimpUrl) {
        const std::string yaml =
            "plugins:\n"
            "  dir: '" MAILSIFT_PLUGIN_DIR
            "'\n"
            "  stages:\n"
            "    - name: mailsift.stage.syntax\n"
            "      config: {}\n"
            "  connectors:\n"
            "    - name: mailsift.connector.mailjet\n"
            "      config:\n"
            "        base_url: '" +
            mailjetUrl +
            "'\n"
            "        backoff_ms: 20\n"
            "    - name: mailsift.connector.mailchimp\n"
            "      config:\n"
            "        base_url: '" +
            mailchimpUrl +
            "'\n"
            "        backoff_ms: 20\n"
            "jobs:\n"
            "  workers: 2\n"
            "  poll_ms: 50\n";
        fixture_ = std::make_unique<ServerFixture>(ServerSetup{"", yaml});
        const CommandResult created = fixture_->run({"keys", "create", "--account", "alice"});
        EXPECT_EQ(created.exitCode, 0) << created.err;
        key_ = findKey(created.out);
        server_ = std::make_unique<ServerProcess>(
            MAILSIFT_SERVER_BINARY,
            std::vector<std::string>{"serve", "--config", fixture_->configPath()},
            std::map<std::string, std::string>{{"MAILSIFT_SECRET_KEY", kKey}});
        server_->start();
    }

    HttpClient http() const { return fixture_->client(*server_); }

    std::int64_t integration(const std::string& body) {
        const HttpResponse r = http().request("POST", "/v1/integrations", key_, body);
        EXPECT_EQ(r.status, 201) << r.body;
        return r.status == 201 ? object(r.body)->getValue<std::int64_t>("id") : 0;
    }

    std::int64_t job(const std::string& source, std::int64_t integrationId) {
        const HttpResponse r =
            http().request("POST", "/v1/email/validate/job", key_,
                           "source=" + source + "&integration=" + std::to_string(integrationId),
                           "application/x-www-form-urlencoded");
        EXPECT_EQ(r.status, 201) << r.body;
        return object(r.body)->getValue<std::int64_t>("id");
    }

    Poco::JSON::Object::Ptr waitForState(std::int64_t jobId, const std::string& state) {
        Poco::JSON::Object::Ptr last;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (std::chrono::steady_clock::now() < deadline) {
            last = object(http().get("/v1/email/validate/job/" + std::to_string(jobId), key_).body);
            if (last->getValue<std::string>("state") == state)
                return last;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "job " << jobId << " is " << last->getValue<std::string>("state")
                      << ", not " << state;
        return last;
    }

    std::string err() { return server_->err(); }

  private:
    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
};

template <class Written>
void waitForWrites(const Written& written, std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (written().size() < count && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

class ProviderImport : public ::testing::Test {
  protected:
    ProviderImport() {
        for (int i = 0; i < kContacts; ++i) {
            mailjet_.addContact(emailAt(i));
            mailchimp_.addMember(emailAt(i));
        }
        mailjet_.addList(12, {2, 4, 6});
    }

    fakes::FakeMailjet mailjet_{"mjkey0123456789", "mjsecret0123456789"};
    fakes::FakeMailchimp mailchimp_{"0123456789abcdef0123456789abcdef-us21", "us21", "a1b2c3"};
    ProviderServer server_{mailjet_.baseUrl(), mailchimp_.baseUrlTemplate()};
};

TEST_F(ProviderImport, MailjetImportsEveryContactAndWritesContactDataBack) {
    mailjet_.server().throttle(1, 1);
    const auto id =
        server_.integration(R"({"system":"mailjet","credentials":{"apiKey":"mjkey0123456789",)"
                            R"("apiSecret":"mjsecret0123456789"},"options":{"writeBack":true}})");
    const auto done = server_.waitForState(server_.job("mailjet", id), "done");
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), kContacts);
    EXPECT_EQ(done->getObject("integration")->getValue<std::string>("system"), "mailjet");
    EXPECT_EQ(mailjet_.server().throttled(), 1);
    waitForWrites([&] { return mailjet_.written(); }, kContacts);
    const auto written = mailjet_.written();
    ASSERT_EQ(written.size(), static_cast<std::size_t>(kContacts));
    EXPECT_EQ(written.at("broken-address-999").at("mailsift_classifier"), "invalid");
    EXPECT_EQ(written.at("broken-address-999").at("mailsift_score"), "0");
    EXPECT_EQ(mailjet_.properties(),
              (std::set<std::string>{"mailsift_classifier", "mailsift_score"}));
    EXPECT_EQ(mailjet_.writeCalls(), kContacts / 500);
    EXPECT_EQ(server_.err().find("mjsecret"), std::string::npos);
}

TEST_F(ProviderImport, MailjetOneListBadCredentialsAndAMissingList) {
    const auto list = server_.integration(
        R"({"system":"mailjet","name":"list","credentials":{"apiKey":"mjkey0123456789",)"
        R"("apiSecret":"mjsecret0123456789"},"options":{"listId":12}})");
    EXPECT_EQ(server_.waitForState(server_.job("mailjet", list), "done")
                  ->getValue<std::int64_t>("emailCount"),
              3);
    const auto bad = server_.integration(
        R"({"system":"mailjet","name":"bad","credentials":{"apiKey":"mjkey0123456789",)"
        R"("apiSecret":"wrong"}})");
    const auto failed = server_.waitForState(server_.job("mailjet", bad), "failed");
    EXPECT_NE(failed->getValue<std::string>("error").find("Mailjet refused the integration's "
                                                          "credentials (HTTP 401)"),
              std::string::npos);
    const auto missing = server_.integration(
        R"({"system":"mailjet","name":"missing","credentials":{"apiKey":"mjkey0123456789",)"
        R"("apiSecret":"mjsecret0123456789"},"options":{"listId":404}})");
    EXPECT_NE(server_.waitForState(server_.job("mailjet", missing), "failed")
                  ->getValue<std::string>("error")
                  .find("Mailjet has no contacts list 404"),
              std::string::npos);
}

TEST_F(ProviderImport, MailchimpImportsTheAudienceFromTheKeysDataCentreAndWritesMergeFields) {
    mailchimp_.server().throttle(2, 1);
    const auto id = server_.integration(
        R"({"system":"mailchimp","credentials":{"apiKey":"0123456789abcdef0123456789abcdef-us21"},)"
        R"("options":{"listId":"a1b2c3","writeBack":true}})");
    const auto done = server_.waitForState(server_.job("mailchimp", id), "done");
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), kContacts);
    EXPECT_EQ(mailchimp_.server().throttled(), 2);
    waitForWrites([&] { return mailchimp_.written(); }, kContacts);
    const auto written = mailchimp_.written();
    ASSERT_EQ(written.size(), static_cast<std::size_t>(kContacts));
    EXPECT_EQ(written.at("broken-address-999").at("MSVERDICT"), "invalid");
    EXPECT_EQ(written.at("broken-address-999").at("MSSCORE"), "0");
    EXPECT_EQ(mailchimp_.mergeFields(), (std::set<std::string>{"MSSCORE", "MSVERDICT"}));
    EXPECT_EQ(mailchimp_.writeCalls(), kContacts / 500);
}

TEST_F(ProviderImport, MailchimpBadKeyWrongDataCentreAndMissingAudience) {
    const auto bad = server_.integration(
        R"({"system":"mailchimp","name":"bad","credentials":{"apiKey":"ffff-us21"},)"
        R"("options":{"listId":"a1b2c3"}})");
    EXPECT_NE(server_.waitForState(server_.job("mailchimp", bad), "failed")
                  ->getValue<std::string>("error")
                  .find("Mailchimp refused the integration's credentials (HTTP 401)"),
              std::string::npos);
    const auto missing = server_.integration(
        R"({"system":"mailchimp","name":"missing","credentials":)"
        R"({"apiKey":"0123456789abcdef0123456789abcdef-us21"},"options":{"listId":"nope"}})");
    EXPECT_NE(server_.waitForState(server_.job("mailchimp", missing), "failed")
                  ->getValue<std::string>("error")
                  .find("Mailchimp has no audience nope"),
              std::string::npos);
    // Another data centre is another path on the fake: the audience is not found there.
    const auto otherDc = server_.integration(
        R"({"system":"mailchimp","name":"dc","credentials":)"
        R"({"apiKey":"0123456789abcdef0123456789abcdef-us4"},"options":{"listId":"a1b2c3"}})");
    EXPECT_EQ(server_.waitForState(server_.job("mailchimp", otherDc), "failed")
                  ->getValue<std::string>("state"),
              "failed");
}

}  // namespace
