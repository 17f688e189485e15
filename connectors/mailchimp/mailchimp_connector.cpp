// mailsift.connector.mailchimp: imports the members of one audience through Mailchimp's
// Marketing API v3 with an API key, sent as the password of basic authentication. The key's
// suffix (-us21) is the data centre, which replaces {dc} in base_url
// (https://{dc}.api.mailchimp.com). Pages: GET /3.0/lists/{list_id}/members?count=1000&offset=N
// (404: the audience does not exist); the cursor is the next offset.
// Write-back creates the merge fields MSVERDICT (text) and MSSCORE (number) when
// GET /3.0/lists/{id}/merge-fields lacks them, then updates members 500 at a time with
// POST /3.0/lists/{id} (batch subscribe, update_existing).
// Config keys: base_url, timeout_ms, max_attempts, backoff_ms, max_retry_after_s, page_size.
#include <Poco/JSON/Array.h>

#include <set>
#include <string_view>

#include "common/json_text.h"
#include "common/provider_client.h"
#include "mailchimp/mailchimp_page.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::mailchimp {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.mailchimp";
constexpr std::size_t kWriteBatch = 500;  // Mailchimp's limit for one batch subscribe

using Settings = ProviderSettings;

Settings makeSettings(std::string_view configJson) {
    return providerSettings(kPluginName, configJson, "Mailchimp", "https://{dc}.api.mailchimp.com",
                            "check the API key (Profile > Extras > API keys) and that it was "
                            "not revoked",
                            1000);
}

}  // namespace

/// The plugin object; immutable after construction, so calls are thread-safe.
class MailchimpConnector final : public Connector {
  public:
    MailchimpConnector(HostApi& /*host*/, std::string_view configJson)
        : settings_(makeSettings(configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        const Account account = accountOf(input);
        ProviderClient client(account.options, [&sink] { return sink.stopRequested(); });
        long long offset = input.cursor.empty() ? 0 : std::stoll(input.cursor);
        while (true) {
            const std::string path = "/3.0/lists/" + urlEncode(account.listId) +
                                     "/members?count=" + std::to_string(settings_.pageSize) +
                                     "&offset=" + std::to_string(offset) +
                                     "&fields=members.email_address,total_items";
            const ProviderResponse response = client.send("GET", path, account.auth);
            if (response.status == 404) {
                throw ConnectorError(ConnectorError::Kind::badInput,
                                     "Mailchimp has no audience " + account.listId +
                                         ": check options.listId of the integration (Audience "
                                         "> Settings > Audience name and defaults).");
            }
            const Poco::JSON::Object::Ptr page = client.parseObject(response);
            const Page read = readMembersPage(*page, offset);
            for (const std::string& email : read.emails)
                sink.row(email);
            offset += static_cast<long long>(read.count);
            const bool last = read.next.empty();
            sink.pageDone(read.next);
            if (last || sink.stopRequested())
                return;
        }
    }

    void writeBack(const ConnectorInput& input, ResultSource& results) override {
        const Account account = accountOf(input);
        ProviderClient client(account.options, [] { return false; });
        const std::string listPath = "/3.0/lists/" + urlEncode(account.listId);
        defineMergeFields(client, account.auth, listPath);
        sendInBatches(
            results, kWriteBatch,
            [](const WriteBackRow& row) {
                Poco::JSON::Object::Ptr fields = new Poco::JSON::Object;
                fields->set("MSVERDICT", row.classifier);
                fields->set("MSSCORE", row.score);
                Poco::JSON::Object::Ptr member = new Poco::JSON::Object;
                member->set("email_address", row.email);
                member->set("merge_fields", fields);
                return member;
            },
            [&](const Poco::JSON::Array::Ptr& members) {
                Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
                body->set("members", members);
                body->set("update_existing", true);
                client.send("POST", listPath, account.auth, jsonText(body));
            });
    }

  private:
    struct Account {
        ProviderClientOptions options;
        ProviderClient::Headers auth;
        std::string listId;
    };

    Account accountOf(const ConnectorInput& input) const {
        const Poco::JSON::Object::Ptr credentials = jsonObject(input.credentialsJson);
        const std::string key = credentials->optValue<std::string>("apiKey", "");
        const auto dash = key.rfind('-');
        if (dash == std::string::npos || dash + 1 >= key.size()) {
            throw ConnectorError(ConnectorError::Kind::badInput,
                                 "The Mailchimp API key does not end in its data centre (like "
                                 "-us21); create the integration again with the whole key.");
        }
        Account account;
        account.options = settings_.client;
        const std::string dc = key.substr(dash + 1);
        const auto at = account.options.baseUrl.find("{dc}");
        if (at != std::string::npos)
            account.options.baseUrl.replace(at, 4, dc);
        account.auth = {{"Authorization", basicAuth("mailsift", key)}};
        const Poco::JSON::Object::Ptr options = jsonObject(input.optionsJson);
        account.listId = options->has("listId") ? options->get("listId").toString() : "";
        return account;
    }

    static void defineMergeFields(ProviderClient& client, const ProviderClient::Headers& auth,
                                  const std::string& listPath) {
        const ProviderResponse known =
            client.send("GET", listPath + "/merge-fields?count=1000", auth);
        if (known.status == 404) {
            throw ConnectorError(ConnectorError::Kind::badInput,
                                 "Mailchimp has no such audience any more; results were not "
                                 "written back.");
        }
        std::set<std::string> tags;
        Poco::JSON::Array::Ptr fields = client.parseObject(known)->getArray("merge_fields");
        for (std::size_t i = 0; fields && i < fields->size(); ++i) {
            Poco::JSON::Object::Ptr field = fields->getObject(static_cast<unsigned>(i));
            if (field && field->has("tag"))
                tags.insert(field->get("tag").toString());
        }
        for (const auto& [tag, name, type] : {std::tuple<std::string, std::string, std::string>{
                                                  "MSVERDICT", "mailsift verdict", "text"},
                                              {"MSSCORE", "mailsift score", "number"}}) {
            if (tags.count(tag))
                continue;
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("tag", tag);
            body->set("name", name);
            body->set("type", type);
            client.send("POST", listPath + "/merge-fields", auth, jsonText(body));
        }
    }

    Settings settings_;
};

}  // namespace mailsift::connectors::mailchimp

MAILSIFT_PLUGIN(mailsift::connectors::mailchimp::MailchimpConnector, "mailsift.connector.mailchimp",
                connector)
