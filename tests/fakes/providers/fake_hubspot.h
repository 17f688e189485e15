#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "providers/fake_provider_server.h"

namespace fakes {

/// HubSpot's CRM v3 API as far as mailsift uses it, on loopback: private-app bearer tokens,
/// GET /crm/v3/objects/contacts (limit <= 100, `after` cursor, paging.next.after/link),
/// GET /crm/v3/lists/{id}/memberships (recordId, after), POST .../contacts/batch/read,
/// POST /crm/v3/properties/contacts (201, then 409) and POST .../contacts/batch/update
/// (at most 100 inputs, idProperty email), whose properties it records.
class FakeHubspot {
  public:
    explicit FakeHubspot(std::string token);

    /// Contacts get ids 1..n in the order added.
    void addContact(const std::string& email);
    void addList(const std::string& listId, const std::vector<int>& contactIds);

    FakeProviderServer& server() { return server_; }
    std::string baseUrl() const { return server_.baseUrl(); }
    /// Properties written back, by contact email.
    std::map<std::string, std::map<std::string, std::string>> written() const;
    std::set<std::string> createdProperties() const;
    int updateBatches() const;
    int contactPages() const;
    /// Each contacts page is answered this much later (to stop a server in the middle).
    void setPageDelay(int ms);
    /// From the contacts page that starts at `start` on, every page answers `after` = `start`
    /// (a broken cursor that does not move); -1 turns it off.
    void setStuckCursorAt(int start);

  private:
    ProviderReply handle(const ProviderRequest& request);

    std::string token_;
    mutable std::mutex mutex_;
    std::vector<std::string> contacts_;
    std::map<std::string, std::vector<int>> lists_;
    std::map<std::string, std::map<std::string, std::string>> written_;
    std::set<std::string> properties_;
    int updateBatches_ = 0;
    int contactPages_ = 0;
    int pageDelayMs_ = 0;
    int stuckAt_ = -1;
    FakeProviderServer server_;
};

}  // namespace fakes
