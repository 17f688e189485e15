// Isolation between accounts, proved over the real route table: every route whose path takes an
// id must answer another account's id exactly as it answers an id that does not exist (404, same
// body), so that a client cannot even learn that the object exists. The walk covers every route
// registerRoutes() makes; a route with a path parameter that kIdRoutes does not know fails the
// test until someone says how to make an object for it (one line).
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/TemporaryFile.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "engine/pipeline.h"
#include "engine/validator.h"
#include "http/api_keys.h"
#include "http/http_server.h"
#include "http/routes.h"
#include "integrations/integration_service.h"
#include "jobs/job_service.h"
#include "metrics/registry.h"
#include "store/store_factory.h"
#include "test_server.h"

namespace mailsift::http::testing {
namespace {

/// The real route table over a real SQLite store in a temp folder, served on 127.0.0.1.
class World {
  public:
    World() : dir_(Poco::TemporaryFile::tempName()) {
        std::filesystem::create_directories(dir_);
        config::StoreConfig storeConfig;
        storeConfig.url = "sqlite://" + dir_ + "/mailsift.db";
        store_ = store::openStore(storeConfig, dir_);
        store_->migrate();
        jobs_ = std::make_unique<jobs::JobService>(*store_);
        integrations_ = std::make_unique<integrations::IntegrationService>(
            *store_, integrations::CredentialCipher::Key{});  // a key of zeros: enough here
        Services services{*store_, *jobs_, metrics_, {}, validator_, SyncValidationLimits{}};
        services.integrations = integrations_.get();
        registerRoutes(router_, services);
        server_ = std::make_unique<HttpServer>(testHttpConfig(), router_, metrics_,
                                               Poco::Logger::get("mailsift.http.test.isolation"));
        server_->start();
    }
    ~World() {
        server_->stop(std::chrono::seconds(2));
        server_.reset();
        integrations_.reset();
        jobs_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    const Router& router() const { return router_; }
    store::Store& store() { return *store_; }
    std::uint16_t port() const { return server_->port(); }

    struct Account {
        store::Id id;
        std::string key;
    };
    Account account(const std::string& name) {
        const auto now = std::chrono::system_clock::now();
        const store::Id id = store_->createAccount(name, now).id;
        return {id, issueApiKey(*store_, id, now).key};
    }

  private:
    class QuietHost final : public HostApi {
      public:
        void log(LogLevel, std::string_view, std::string_view) override {}
        std::string resolvePath(std::string_view path) const override { return std::string(path); }
        std::chrono::system_clock::time_point now() const override {
            return std::chrono::system_clock::now();
        }
    };

    std::string dir_;
    std::unique_ptr<store::Store> store_;
    QuietHost host_;
    engine::Pipeline pipeline_{{}, {}, host_, Poco::Logger::get("mailsift.http.test.engine")};
    engine::Validator validator_{pipeline_};
    std::unique_ptr<jobs::JobService> jobs_;
    std::unique_ptr<integrations::IntegrationService> integrations_;
    metrics::Registry metrics_;
    Router router_;
    std::unique_ptr<HttpServer> server_;
};

/// Makes an object of the route's kind for the account; returns its id.
using MakeObject = std::function<std::int64_t(World&, store::Id accountId)>;

std::int64_t makeJob(World& world, store::Id accountId) {
    store::NewJob job;
    job.accountId = accountId;
    job.label = "isolation";
    job.source = "input";
    const auto now = std::chrono::system_clock::now();
    const store::Id id = world.store().createJob(job, now).id;
    world.store().appendRows(id, {{0, "a@example.com", -1}, {1, "b@example.com", -1}});
    world.store().sealJob(id, 1000, now);
    return id;
}

std::int64_t makeWebhook(World& world, store::Id accountId) {
    return world.store()
        .createWebhook(accountId, "https://hooks.example.com/mailsift", "whsec_isolation",
                       {"validation.job.completed"}, std::chrono::system_clock::now())
        .id;
}

std::int64_t makeIntegration(World& world, store::Id accountId) {
    store::IntegrationRecord integration;
    integration.accountId = accountId;
    integration.system = "hubspot";
    static int made = 0;  // names are unique per account
    integration.name = "isolation " + std::to_string(++made);
    integration.sealedCredentials = "not opened by these routes";
    return world.store().createIntegration(integration, std::chrono::system_clock::now()).id;
}

/// One route that takes an id, how to make its object, and the body a valid request sends.
struct IdRoute {
    std::string method;
    std::string pattern;  ///< as the router shows it, e.g. /v1/email/validate/job/{id}
    MakeObject make;
    std::string body;  ///< "" = none
};

// Every route with a path parameter. A new one goes here, one line, or the walk fails.
const std::vector<IdRoute> kIdRoutes = {
    {"GET", "/v1/email/validate/job/{id}", makeJob, ""},
    {"GET", "/v1/email/validate/job/{id}/result", makeJob, ""},
    {"GET", "/v1/email/validate/job/{id}/download", makeJob, ""},
    {"POST", "/v1/email/validate/job/{id}/pause", makeJob, ""},
    {"POST", "/v1/email/validate/job/{id}/resume", makeJob, ""},
    {"DELETE", "/v1/email/validate/job/{id}", makeJob, ""},
    {"GET", "/v1/webhooks/{id}", makeWebhook, ""},
    {"PUT", "/v1/webhooks/{id}", makeWebhook, R"({"active":false})"},
    {"GET", "/v1/webhooks/{id}/deliveries", makeWebhook, ""},
    {"DELETE", "/v1/webhooks/{id}", makeWebhook, ""},
    {"GET", "/v1/integrations/{id}", makeIntegration, ""},
    {"DELETE", "/v1/integrations/{id}", makeIntegration, ""},
};

bool takesParameter(const Route& route) {
    return std::any_of(route.segments.begin(), route.segments.end(),
                       [](const Route::Segment& s) { return s.isParam; });
}

/// The route's pattern with every parameter replaced by `id`.
std::string pathFor(const Route& route, std::int64_t id) {
    std::string path;
    for (const auto& segment : route.segments)
        path += "/" + (segment.isParam ? std::to_string(id) : segment.text);
    return path;
}

HttpResult call(const World& world, const Route& route, const IdRoute& spec, std::int64_t id,
                const std::string& key) {
    RequestSpec request;
    request.method = route.method;
    request.uri = pathFor(route, id);
    request.headers.emplace_back("Authorization", "Bearer " + key);
    if (!spec.body.empty()) {
        request.body = spec.body;
        request.headers.emplace_back("Content-Type", "application/json");
    }
    return send(world.port(), request);
}

const IdRoute* find(const Route& route) {
    for (const auto& spec : kIdRoutes) {
        if (spec.method == route.method && spec.pattern == route.pattern)
            return &spec;
    }
    return nullptr;
}

TEST(RouteIsolation, EveryIdRouteAnswersAnotherAccountsIdLikeAMissingOne) {
    World world;
    const auto owner = world.account("owner");
    const auto stranger = world.account("stranger");
    constexpr std::int64_t kMissing = 9'000'000'000'000'000'000;

    int walked = 0;
    for (const Route& route : world.router().routes()) {
        // A route without a key (the dashboard's files) serves nothing of any account's.
        if (!takesParameter(route) || !route.options.requireAuth)
            continue;
        const IdRoute* spec = find(route);
        ASSERT_NE(spec, nullptr) << route.method << " " << route.pattern
                                 << " takes an id but kIdRoutes does not say how to make its "
                                    "object: add a line, so that its isolation is tested";
        const std::int64_t id = spec->make(world, owner.id);

        const HttpResult foreign = call(world, route, *spec, id, stranger.key);
        const HttpResult missing = call(world, route, *spec, kMissing, stranger.key);
        EXPECT_EQ(foreign.status, 404) << route.method << " " << route.pattern;
        EXPECT_EQ(foreign.status, missing.status) << route.method << " " << route.pattern;
        EXPECT_EQ(foreign.body, missing.body) << route.method << " " << route.pattern;
        EXPECT_EQ(foreign.header("Content-Type"), missing.header("Content-Type"))
            << route.method << " " << route.pattern;

        // The object is there for its owner (so the 404 above was isolation, not a bad set-up),
        // and the stranger's calls changed nothing (the owner's call comes after them).
        const HttpResult own = call(world, route, *spec, id, owner.key);
        EXPECT_GE(own.status, 200) << route.method << " " << route.pattern;
        EXPECT_LT(own.status, 300) << route.method << " " << route.pattern << ": " << own.body;
        ++walked;
    }
    EXPECT_EQ(walked, static_cast<int>(kIdRoutes.size()))
        << "kIdRoutes names a route the router does not have";
}

}  // namespace
}  // namespace mailsift::http::testing
