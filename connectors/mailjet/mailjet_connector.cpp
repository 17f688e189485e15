// mailsift.connector.mailjet: imports contacts through Mailjet's v3 REST API with basic
// authentication (API key : secret key). Without options.listId it pages through
// GET /v3/REST/contact?Limit=1000&Offset=N; with one it first checks
// GET /v3/REST/contactslist/{id} (404: the list does not exist) and pages through
// GET /v3/REST/contact?ContactsList={id}&Limit&Offset. The cursor is the next Offset.
// Write-back defines the contact properties mailsift_classifier (str) and mailsift_score (int)
// when GET /v3/REST/contactmetadata lacks them, then sends the verdicts with
// POST /v3/REST/contact/managemanycontacts, 500 contacts a call.
// Config keys: base_url (https://api.mailjet.com), timeout_ms, max_attempts, backoff_ms,
// max_retry_after_s, page_size (1000).
#include <Poco/JSON/Array.h>

#include <set>
#include <string_view>

#include "common/json_text.h"
#include "common/provider_client.h"
#include "mailjet/mailjet_page.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::mailjet {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.mailjet";
constexpr std::size_t kWriteBatch = 500;

using Settings = ProviderSettings;

Settings makeSettings(std::string_view configJson) {
    return providerSettings(kPluginName, configJson, "Mailjet", "https://api.mailjet.com",
                            "check the API key and secret key under Account settings > REST "
                            "API keys (a sub-account key sees only its own contacts)",
                            1000);
}

}  // namespace

/// The plugin object; immutable after construction, so calls are thread-safe.
class MailjetConnector final : public Connector {
  public:
    MailjetConnector(HostApi& /*host*/, std::string_view configJson)
        : settings_(makeSettings(configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        ProviderClient client(settings_.client, [&sink] { return sink.stopRequested(); });
        const ProviderClient::Headers auth = authHeaders(input);
        const Poco::JSON::Object::Ptr options = jsonObject(input.optionsJson);
        const std::string listId = options->has("listId") ? options->get("listId").toString() : "";
        if (!listId.empty() && input.cursor.empty()) {
            const ProviderResponse list =
                client.send("GET", "/v3/REST/contactslist/" + urlEncode(listId), auth);
            if (list.status == 404) {
                throw ConnectorError(ConnectorError::Kind::badInput,
                                     "Mailjet has no contacts list " + listId +
                                         ": check options.listId of the integration.");
            }
        }
        long long offset = input.cursor.empty() ? 0 : std::stoll(input.cursor);
        while (true) {
            std::string path = "/v3/REST/contact?Limit=" + std::to_string(settings_.pageSize) +
                               "&Offset=" + std::to_string(offset) + "&Sort=ID";
            if (!listId.empty())
                path += "&ContactsList=" + urlEncode(listId);
            const ProviderResponse response = client.send("GET", path, auth);
            if (response.status == 404) {
                throw ConnectorError(
                    ConnectorError::Kind::badInput,
                    "Mailjet does not know the contact API at " + settings_.client.baseUrl + ".");
            }
            const Poco::JSON::Object::Ptr page = client.parseObject(response);
            const Page read = readContactsPage(*page, offset, settings_.pageSize);
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
        ProviderClient client(settings_.client, [] { return false; });
        const ProviderClient::Headers auth = authHeaders(input);
        defineProperties(client, auth);
        sendInBatches(
            results, kWriteBatch,
            [](const WriteBackRow& row) {
                Poco::JSON::Object::Ptr properties = new Poco::JSON::Object;
                properties->set("mailsift_classifier", row.classifier);
                properties->set("mailsift_score", row.score);
                Poco::JSON::Object::Ptr contact = new Poco::JSON::Object;
                contact->set("Email", row.email);
                contact->set("Properties", properties);
                return contact;
            },
            [&](const Poco::JSON::Array::Ptr& contacts) {
                Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
                body->set("Contacts", contacts);
                client.send("POST", "/v3/REST/contact/managemanycontacts", auth, jsonText(body));
            });
    }

  private:
    static ProviderClient::Headers authHeaders(const ConnectorInput& input) {
        const Poco::JSON::Object::Ptr credentials = jsonObject(input.credentialsJson);
        return {{"Authorization", basicAuth(credentials->optValue<std::string>("apiKey", ""),
                                            credentials->optValue<std::string>("apiSecret", ""))}};
    }

    static void defineProperties(ProviderClient& client, const ProviderClient::Headers& auth) {
        const ProviderResponse known =
            client.send("GET", "/v3/REST/contactmetadata?Limit=1000", auth);
        std::set<std::string> names;
        if (known.status == 200) {
            Poco::JSON::Array::Ptr data = client.parseObject(known)->getArray("Data");
            for (std::size_t i = 0; data && i < data->size(); ++i) {
                Poco::JSON::Object::Ptr property = data->getObject(static_cast<unsigned>(i));
                if (property && property->has("Name"))
                    names.insert(property->get("Name").toString());
            }
        }
        for (const auto& [name, type] :
             {std::pair<std::string, std::string>{"mailsift_classifier", "str"},
              {"mailsift_score", "int"}}) {
            if (names.count(name))
                continue;
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("Datatype", type);
            body->set("Name", name);
            body->set("NameSpace", "static");
            client.send("POST", "/v3/REST/contactmetadata", auth, jsonText(body));
        }
    }

    Settings settings_;
};

}  // namespace mailsift::connectors::mailjet

MAILSIFT_PLUGIN(mailsift::connectors::mailjet::MailjetConnector, "mailsift.connector.mailjet",
                connector)
