// Jobs from a HubSpot integration through the real mailsift-server and the real connector plugin
// against the HubSpot fake on loopback: 25,000 contacts imported page by page while the job is
// pending (with a 429 + Retry-After on the way), verified, and the verdicts written back as
// contact properties; bad credentials and a missing list fail the job with a sentence.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "integration/server_fixture.h"
#include "providers/fake_hubspot.h"

using namespace mailsift::testing;

namespace {

const std::string kKey = "8f1c0a8e5b3d4f6a7c9e1b2d3f4a5c6e7d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b";
const std::string kToken = "pat-na1-aaaabbbb-cccc-dddd-eeee-ffff00001234";
constexpr int kContacts = 25000;

Poco::JSON::Object::Ptr object(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string config(const std::string& baseUrl) {
    return "plugins:\n"
           "  dir: '" MAILSIFT_PLUGIN_DIR
           "'\n"
           "  stages:\n"
           "    - name: mailsift.stage.syntax\n"
           "      config: {}\n"
           "  connectors:\n"
           "    - name: mailsift.connector.hubspot\n"
           "      config:\n"
           "        base_url: '" +
           baseUrl +
           "'\n"
           "        backoff_ms: 20\n"
           "        max_attempts: 4\n"
           "jobs:\n"
           "  workers: 2\n"
           "  poll_ms: 50\n"
           "  lease_ttl_ms: 2000\n"
           "  heartbeat_ms: 400\n";
}

class HubspotImport : public ::testing::Test {
  protected:
    void SetUp() override {
        for (int i = 0; i < kContacts; ++i) {
            // Every 1,000th contact has a broken address; every 500th repeats the one before.
            if (i % 1000 == 999)
                hubspot_.addContact("broken-address-" + std::to_string(i));
            else if (i % 500 == 1)
                hubspot_.addContact("person" + std::to_string(i - 1) + "@example.com");
            else
                hubspot_.addContact("person" + std::to_string(i) + "@example.com");
        }
        fixture_ = std::make_unique<ServerFixture>(ServerSetup{"", config(hubspot_.baseUrl())});
        const CommandResult created = fixture_->run({"keys", "create", "--account", "alice"});
        ASSERT_EQ(created.exitCode, 0) << created.err;
        key_ = findKey(created.out);
        startServer();
    }

    void startServer() {
        server_ = std::make_unique<ServerProcess>(
            MAILSIFT_SERVER_BINARY,
            std::vector<std::string>{"serve", "--config", fixture_->configPath()},
            std::map<std::string, std::string>{{"MAILSIFT_SECRET_KEY", kKey}});
        server_->start();
    }

    HttpClient http() const { return fixture_->client(*server_); }

    std::int64_t integration(const std::string& name, const std::string& token,
                             const std::string& options) {
        const HttpResponse r = http().request("POST", "/v1/integrations", key_,
                                              R"({"system":"hubspot","name":")" + name +
                                                  R"(","credentials":{"accessToken":")" + token +
                                                  R"("},"options":)" + options + "}");
        EXPECT_EQ(r.status, 201) << r.body;
        return object(r.body)->getValue<std::int64_t>("id");
    }

    std::int64_t job(std::int64_t integrationId) {
        const HttpResponse r =
            http().request("POST", "/v1/email/validate/job", key_,
                           "source=hubspot&label=CRM&integration=" + std::to_string(integrationId),
                           "application/x-www-form-urlencoded");
        EXPECT_EQ(r.status, 201) << r.body;
        return object(r.body)->getValue<std::int64_t>("id");
    }

    /// Polls the job until `until` holds; returns the last job object.
    Poco::JSON::Object::Ptr waitFor(std::int64_t jobId,
                                    const std::function<bool(Poco::JSON::Object&)>& until,
                                    std::vector<Poco::JSON::Object::Ptr>* seen = nullptr) {
        Poco::JSON::Object::Ptr last;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
        while (std::chrono::steady_clock::now() < deadline) {
            const HttpResponse r =
                http().get("/v1/email/validate/job/" + std::to_string(jobId), key_);
            last = object(r.body);
            if (seen)
                seen->push_back(last);
            if (until(*last))
                return last;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        ADD_FAILURE() << "timed out; last job object state "
                      << last->getValue<std::string>("state");
        return last;
    }

    fakes::FakeHubspot hubspot_{kToken};
    std::unique_ptr<ServerFixture> fixture_;
    std::unique_ptr<ServerProcess> server_;
    std::string key_;
};

TEST_F(HubspotImport, ImportsEveryContactVerifiesThemAndWritesTheVerdictsBack) {
    hubspot_.server().throttle(1, 1);  // the first call is answered 429 with Retry-After: 1
    const std::int64_t integrationId = integration("CRM", kToken, R"({"writeBack":true})");
    const std::int64_t jobId = job(integrationId);

    std::vector<Poco::JSON::Object::Ptr> seen;
    const auto done = waitFor(
        jobId, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "done"; },
        &seen);
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), kContacts);
    EXPECT_EQ(done->getObject("summary")->getValue<std::int64_t>("totalEmails"), kContacts);
    EXPECT_EQ(done->getValue<std::string>("source"), "hubspot");
    EXPECT_EQ(done->getObject("integration")->getValue<std::int64_t>("id"), integrationId);
    EXPECT_EQ(done->getObject("integration")->getValue<std::string>("system"), "hubspot");
    // While the import ran the job was pending with a growing emailCount.
    bool sawPartialPending = false;
    for (const auto& j : seen) {
        const auto count = j->getValue<std::int64_t>("emailCount");
        sawPartialPending = sawPartialPending || (j->getValue<std::string>("state") == "pending" &&
                                                  count > 0 && count < kContacts);
    }
    EXPECT_TRUE(sawPartialPending);
    EXPECT_EQ(hubspot_.server().throttled(), 1);
    EXPECT_EQ(hubspot_.contactPages(), kContacts / 100);

    // Write-back: every distinct address once, batches of at most 100, verdicts as stored.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    const std::size_t distinct = kContacts - kContacts / 500;
    while (hubspot_.written().size() < distinct && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const auto written = hubspot_.written();
    ASSERT_EQ(written.size(), distinct);
    EXPECT_EQ(hubspot_.createdProperties(),
              (std::set<std::string>{"mailsift_classifier", "mailsift_score"}));
    EXPECT_GE(hubspot_.updateBatches(), static_cast<int>(distinct / 100));
    EXPECT_EQ(written.at("broken-address-999").at("mailsift_classifier"), "invalid");
    EXPECT_EQ(written.at("broken-address-999").at("mailsift_score"), "0");
    const HttpResponse page =
        http().get("/v1/email/validate/job/" + std::to_string(jobId) + "/result?pos=0", key_);
    const auto first =
        Poco::JSON::Parser().parse(page.body).extract<Poco::JSON::Array::Ptr>()->getObject(0);
    EXPECT_EQ(written.at(first->getValue<std::string>("email")).at("mailsift_classifier"),
              first->getObject("result")->getValue<std::string>("classifier"));
    server_->stop(SIGTERM);
    EXPECT_EQ(server_->err().find(kToken), std::string::npos);
}

TEST_F(HubspotImport, AnImportKilledHalfWayResumesFromItsLastPageAfterARestart) {
    hubspot_.setPageDelay(15);
    const std::int64_t jobId = job(integration("CRM", kToken, "{}"));
    waitFor(jobId,
            [](Poco::JSON::Object& j) { return j.getValue<std::int64_t>("emailCount") >= 5000; });
    server_->stop(SIGKILL);
    const int pagesBeforeKill = hubspot_.contactPages();
    EXPECT_LT(pagesBeforeKill, kContacts / 100);
    hubspot_.setPageDelay(0);
    startServer();
    const auto done = waitFor(
        jobId, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "done"; });
    // Every contact once: the stored pages were not imported again.
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), kContacts);
    EXPECT_EQ(done->getObject("summary")->getValue<std::int64_t>("totalEmails"), kContacts);
    EXPECT_LE(hubspot_.contactPages(), kContacts / 100 + 2);  // at most the page in flight again
}

TEST_F(HubspotImport, OneListImportsOnlyItsMembers) {
    hubspot_.addList("77", {1, 3, 5, 7, 9});
    const std::int64_t jobId = job(integration("list", kToken, R"({"listId":"77"})"));
    const auto done = waitFor(
        jobId, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "done"; });
    EXPECT_EQ(done->getValue<std::int64_t>("emailCount"), 5);
    EXPECT_TRUE(hubspot_.written().empty());  // write-back is off
}

TEST_F(HubspotImport, BadCredentialsAndAMissingListFailTheJobWithASentence) {
    const std::int64_t badToken = job(integration("bad", "pat-na1-wrong-token-000", "{}"));
    const auto failed = waitFor(badToken, [](Poco::JSON::Object& j) {
        return j.getValue<std::string>("state") == "failed";
    });
    const std::string error = failed->getValue<std::string>("error");
    EXPECT_NE(error.find("HubSpot refused the integration's credentials (HTTP 401)"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("crm.objects.contacts.read"), std::string::npos) << error;

    const std::int64_t noList = job(integration("nolist", kToken, R"({"listId":"999"})"));
    const auto missing = waitFor(
        noList, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "failed"; });
    EXPECT_NE(missing->getValue<std::string>("error").find("HubSpot has no list 999"),
              std::string::npos);
}

TEST_F(HubspotImport, ACursorThatDoesNotMoveFailsTheJobInsteadOfLooping) {
    hubspot_.setStuckCursorAt(200);  // pages at 0 and 100 move on; the one at 200 points to 200
    const std::int64_t jobId = job(integration("stuck", kToken, "{}"));
    const auto failed = waitFor(
        jobId, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "failed"; });
    EXPECT_NE(failed->getValue<std::string>("error").find("the same paging cursor twice"),
              std::string::npos)
        << failed->getValue<std::string>("error");
    EXPECT_EQ(hubspot_.contactPages(), 3);  // 0, 100, then 200 answers "200" again: stop
}

TEST_F(HubspotImport, ProviderKeepsThrottlingUntilTheAttemptsRunOut) {
    hubspot_.server().throttle(100, 0);
    const std::int64_t jobId = job(integration("busy", kToken, "{}"));
    const auto failed = waitFor(
        jobId, [](Poco::JSON::Object& j) { return j.getValue<std::string>("state") == "failed"; });
    EXPECT_NE(failed->getValue<std::string>("error").find("429"), std::string::npos);
    EXPECT_EQ(hubspot_.server().throttled(), 4);  // max_attempts
}

TEST_F(HubspotImport, JobRequestsAreChecked) {
    HttpResponse r = http().request("POST", "/v1/email/validate/job", key_, "source=hubspot",
                                    "application/x-www-form-urlencoded");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("integration"), std::string::npos);
    r = http().request("POST", "/v1/email/validate/job", key_, "source=hubspot&integration=999",
                       "application/x-www-form-urlencoded");
    EXPECT_EQ(r.status, 400);
    const std::int64_t id = integration("crm", kToken, "{}");
    r = http().request("POST", "/v1/email/validate/job", key_,
                       "source=mailjet&integration=" + std::to_string(id),
                       "application/x-www-form-urlencoded");
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("source=hubspot"), std::string::npos) << r.body;
}

}  // namespace
