#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "providers/fake_provider_server.h"

namespace fakes {

/// Mailjet's v3 REST API as far as mailsift uses it, on loopback: basic auth (API key : secret),
/// GET /v3/REST/contact (Limit <= 1000, Offset, ContactsList), GET /v3/REST/contactslist/{id},
/// GET and POST /v3/REST/contactmetadata, POST /v3/REST/contact/managemanycontacts (recorded).
/// Answers in Mailjet's {"Count","Data","Total"} envelope.
class FakeMailjet {
  public:
    FakeMailjet(std::string apiKey, std::string apiSecret);

    void addContact(const std::string& email);  ///< ids 1..n
    void addList(int listId, const std::vector<int>& contactIds);

    FakeProviderServer& server() { return server_; }
    std::string baseUrl() const { return server_.baseUrl(); }
    std::map<std::string, std::map<std::string, std::string>> written() const;
    std::set<std::string> properties() const;
    int writeCalls() const;

  private:
    ProviderReply handle(const ProviderRequest& request);

    std::string authorization_;
    mutable std::mutex mutex_;
    std::vector<std::string> contacts_;
    std::map<int, std::vector<int>> lists_;
    std::map<std::string, std::map<std::string, std::string>> written_;
    std::set<std::string> properties_;
    int writeCalls_ = 0;
    FakeProviderServer server_;
};

/// Mailchimp's Marketing API v3 as far as mailsift uses it, on loopback under the path prefix
/// /{dc} (so the test sees which data centre the connector picked from the key): basic auth with
/// the key as password, GET /3.0/lists/{id}/members (count <= 1000, offset, total_items),
/// GET/POST /3.0/lists/{id}/merge-fields, POST /3.0/lists/{id} (batch subscribe, <= 500
/// members, update_existing; recorded). Errors in Mailchimp's problem-detail shape.
class FakeMailchimp {
  public:
    FakeMailchimp(std::string apiKey, std::string dc, std::string listId);

    void addMember(const std::string& email);

    FakeProviderServer& server() { return server_; }
    /// The base_url to configure: http://127.0.0.1:PORT/{dc}
    std::string baseUrlTemplate() const { return server_.baseUrl() + "/{dc}"; }
    std::map<std::string, std::map<std::string, std::string>> written() const;
    std::set<std::string> mergeFields() const;
    int writeCalls() const;

  private:
    ProviderReply handle(const ProviderRequest& request);

    std::string authorization_;
    std::string prefix_;
    std::string listId_;
    mutable std::mutex mutex_;
    std::vector<std::string> members_;
    std::map<std::string, std::map<std::string, std::string>> written_;
    std::set<std::string> mergeFields_;
    int writeCalls_ = 0;
    FakeProviderServer server_;
};

}  // namespace fakes
