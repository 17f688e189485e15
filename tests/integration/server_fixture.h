#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/http_client.h"
#include "support/server_process.h"
#include "support/temp_dir.h"

namespace mailsift::testing {

/// A config file in a temp folder for one test server: port 0 on 127.0.0.1, SQLite in the folder
/// unless `storeUrl` says otherwise, and `extraYaml` appended (top-level blocks).
struct ServerSetup {
    std::string storeUrl{};   ///< "" = sqlite in the temp folder
    std::string extraYaml{};  ///< e.g. "plugins:\n  dir: ...\n"
    std::string httpYaml{};   ///< more keys of the http block, each line indented by two spaces
};

/// Writes the config and runs mailsift-server commands against it.
class ServerFixture {
  public:
    explicit ServerFixture(const ServerSetup& setup = {});

    const std::string& configPath() const { return configPath_; }
    TempDir& dir() { return dir_; }

    /// `mailsift-server <args> --config <file>`
    CommandResult run(std::vector<std::string> args,
                      const std::map<std::string, std::string>& env = {}) const;
    /// Starts `serve`; the bootstrap key (if one was printed) is in bootstrapKey().
    std::unique_ptr<ServerProcess> serve();
    const std::string& bootstrapKey() const { return bootstrapKey_; }
    HttpClient client(const ServerProcess& server) const { return {"127.0.0.1", server.port()}; }

  private:
    TempDir dir_;
    std::string configPath_;
    std::string bootstrapKey_;
};

/// The first msk_... key in `text`, "" when none.
std::string findKey(const std::string& text);

}  // namespace mailsift::testing
