#include "integration/server_fixture.h"

#include <chrono>
#include <regex>
#include <thread>

namespace mailsift::testing {

ServerFixture::ServerFixture(const ServerSetup& setup) {
    const std::string url =
        setup.storeUrl.empty() ? "sqlite://" + dir_.file("mailsift.db") : setup.storeUrl;
    configPath_ = dir_.write(
        "mailsift.yaml", "http:\n  address: 127.0.0.1\n  port: 0\n  threads: 4\n" + setup.httpYaml +
                             "store:\n  url: '" + url + "'\n" + setup.extraYaml);
}

CommandResult ServerFixture::run(std::vector<std::string> args,
                                 const std::map<std::string, std::string>& env) const {
    args.push_back("--config");
    args.push_back(configPath_);
    return runCommand(MAILSIFT_SERVER_BINARY, args, env);
}

std::unique_ptr<ServerProcess> ServerFixture::serve() {
    auto server = std::make_unique<ServerProcess>(
        MAILSIFT_SERVER_BINARY, std::vector<std::string>{"serve", "--config", configPath_});
    server->start();
    if (server->err().find("created account") != std::string::npos) {
        // The key goes to standard output just before the listener starts; give the reader a
        // moment.
        for (int i = 0; i < 200 && findKey(server->out()).empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }
    if (const std::string key = findKey(server->out()); !key.empty())
        bootstrapKey_ = key;
    return server;
}

std::string findKey(const std::string& text) {
    static const std::regex key(R"(msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43})");
    std::smatch m;
    return std::regex_search(text, m, key) ? m.str() : "";
}

}  // namespace mailsift::testing
