#include "jobs/job_test_env.h"

#include <chrono>

#include "store/store_factory.h"

namespace mailsift::testing {

JobTestEnv::JobTestEnv(bool withStages)
    : api_(Poco::Logger::get("jobs_test"), MAILSIFT_TEST_CONFIG_DIR) {
    config::StoreConfig storeConfig;
    storeConfig.url = "sqlite://" + dir_.file("jobs.db");
    storeConfig.poolSize = 4;
    store_ = store::openStore(storeConfig, dir_.path());
    store_->migrate();
    config::PluginsConfig plugins;
    plugins.dir = MAILSIFT_TEST_PLUGIN_DIR;
    plugins.connectors = {{"mailsift.connector.file", "{}"}, {"mailsift.connector.input", "{}"}};
    if (withStages) {
        // Their default list files resolve against the host's config folder (config/).
        plugins.stages = {{"mailsift.stage.syntax", "{}"}, {"mailsift.stage.lists", "{}"}};
    }
    plugins_ = std::make_unique<plugin_host::PluginHost>(api_, plugins);
    plugins_->load();
}

JobTestEnv::~JobTestEnv() = default;

store::Id JobTestEnv::account(const std::string& name) {
    return store_->createAccount(name, std::chrono::system_clock::now()).id;
}

}  // namespace mailsift::testing
