// mailsift.connector.hubspot: imports contacts through HubSpot's CRM v3 API with a private app's
// access token (Authorization: Bearer). Without options.listId it pages through
// GET /crm/v3/objects/contacts?properties=email&limit=100&after=...; with one it pages through
// GET /crm/v3/lists/{listId}/memberships and reads each page's contacts with
// POST /crm/v3/objects/contacts/batch/read. The cursor is HubSpot's `after`.
// Write-back creates the contact properties mailsift_classifier and mailsift_score once (a 409
// means they exist) and updates contacts by email, 100 per POST .../contacts/batch/update.
// Config keys: base_url (https://api.hubapi.com), timeout_ms, max_attempts, backoff_ms,
// max_retry_after_s, page_size (100).
#include <Poco/JSON/Array.h>

#include <string_view>
#include <vector>

#include "common/json_text.h"
#include "common/provider_client.h"
#include "hubspot/hubspot_page.h"
#include "mailsift/plugin.h"

namespace mailsift::connectors::hubspot {
namespace {

constexpr std::string_view kPluginName = "mailsift.connector.hubspot";
constexpr int kBatchSize = 100;  // HubSpot's limit for batch read and batch update

using Settings = ProviderSettings;

Settings makeSettings(std::string_view configJson) {
    return providerSettings(kPluginName, configJson, "HubSpot", "https://api.hubapi.com",
                            "check the private app's access token and that it has the "
                            "crm.objects.contacts.read scope (and .write for write-back)",
                            100);
}

std::string listIdOf(const Poco::JSON::Object& options) {
    return options.has("listId") ? options.get("listId").toString() : "";
}

}  // namespace

/// The plugin object; immutable after construction, so read() and writeBack() are thread-safe
/// (each call has its own ProviderClient).
class HubspotConnector final : public Connector {
  public:
    HubspotConnector(HostApi& /*host*/, std::string_view configJson)
        : settings_(makeSettings(configJson)) {}

    void read(const ConnectorInput& input, RowSink& sink) override {
        ProviderClient client(settings_.client, [&sink] { return sink.stopRequested(); });
        const ProviderClient::Headers auth = authHeaders(input);
        const std::string listId = listIdOf(*jsonObject(input.optionsJson));
        std::string after = input.cursor;
        do {
            std::string path = listId.empty()
                                   ? "/crm/v3/objects/contacts?properties=email&archived=false"
                                   : "/crm/v3/lists/" + urlEncode(listId) + "/memberships?x=1";
            path += "&limit=" + std::to_string(settings_.pageSize);
            if (!after.empty())
                path += "&after=" + urlEncode(after);
            const ProviderResponse response = client.send("GET", path, auth);
            if (response.status == 404) {
                throw ConnectorError(ConnectorError::Kind::badInput,
                                     listId.empty()
                                         ? "HubSpot does not know the contacts API at " +
                                               settings_.client.baseUrl + "."
                                         : "HubSpot has no list " + listId +
                                               ": check options.listId of the integration (the "
                                               "list's ILS id).");
            }
            const Poco::JSON::Object::Ptr page = client.parseObject(response);
            Page read = listId.empty() ? readContactsPage(*page) : readMembersPage(*page);
            if (listId.empty()) {
                for (const std::string& email : read.items)
                    sink.row(email);
            } else {
                readMembers(client, auth, read.items, sink);
            }
            if (!read.after.empty() && read.after == after) {
                // A cursor that does not move would import the same page forever.
                throw ConnectorError(
                    ConnectorError::Kind::unavailable,
                    "HubSpot returned the same paging cursor twice (after=" + after.substr(0, 64) +
                        "); the import stopped instead of reading the same "
                        "page again. Create the job again later.");
            }
            after = std::move(read.after);
            sink.pageDone(after);
        } while (!after.empty() && !sink.stopRequested());
    }

    void writeBack(const ConnectorInput& input, ResultSource& results) override {
        ProviderClient client(settings_.client, [] { return false; });
        const ProviderClient::Headers auth = authHeaders(input);
        createProperty(client, auth,
                       R"({"name":"mailsift_classifier","label":"mailsift verdict",)"
                       R"("type":"string","fieldType":"text","groupName":"contactinformation",)"
                       R"("description":"valid, risky or invalid, set by mailsift"})");
        createProperty(client, auth,
                       R"({"name":"mailsift_score","label":"mailsift score","type":"number",)"
                       R"("fieldType":"number","groupName":"contactinformation",)"
                       R"("description":"0 to 10, set by mailsift"})");
        sendInBatches(
            results, kBatchSize,
            [](const WriteBackRow& row) {
                Poco::JSON::Object::Ptr properties = new Poco::JSON::Object;
                properties->set("mailsift_classifier", row.classifier);
                properties->set("mailsift_score", std::to_string(row.score));
                Poco::JSON::Object::Ptr update = new Poco::JSON::Object;
                update->set("id", row.email);
                update->set("idProperty", "email");
                update->set("properties", properties);
                return update;
            },
            [&](const Poco::JSON::Array::Ptr& inputs) {
                Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
                body->set("inputs", inputs);
                const ProviderResponse response = client.send(
                    "POST", "/crm/v3/objects/contacts/batch/update", auth, jsonText(body));
                if (response.status == 404) {
                    throw ConnectorError(ConnectorError::Kind::badInput,
                                         "HubSpot found none of a batch of contacts to update.");
                }
            });
    }

  private:
    static ProviderClient::Headers authHeaders(const ConnectorInput& input) {
        const Poco::JSON::Object::Ptr credentials = jsonObject(input.credentialsJson);
        return {
            {"Authorization", "Bearer " + credentials->optValue<std::string>("accessToken", "")}};
    }

    static void createProperty(ProviderClient& client, const ProviderClient::Headers& auth,
                               const std::string& json) {
        // 201 created, 409 exists already: both leave the property in place.
        client.send("POST", "/crm/v3/properties/contacts", auth, json);
    }

    void readMembers(ProviderClient& client, const ProviderClient::Headers& auth,
                     const std::vector<std::string>& recordIds, RowSink& sink) const {
        for (std::size_t start = 0; start < recordIds.size(); start += kBatchSize) {
            Poco::JSON::Array::Ptr inputs = new Poco::JSON::Array;
            for (std::size_t i = start; i < recordIds.size() && i < start + kBatchSize; ++i) {
                Poco::JSON::Object::Ptr id = new Poco::JSON::Object;
                id->set("id", recordIds[i]);
                inputs->add(id);
            }
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            Poco::JSON::Array::Ptr properties = new Poco::JSON::Array;
            properties->add("email");
            body->set("properties", properties);
            body->set("inputs", inputs);
            const ProviderResponse response =
                client.send("POST", "/crm/v3/objects/contacts/batch/read", auth, jsonText(body));
            if (response.status == 404)
                continue;  // every member of the page was deleted meanwhile
            for (const std::string& email : readContactsPage(*client.parseObject(response)).items)
                sink.row(email);
        }
    }

    Settings settings_;
};

}  // namespace mailsift::connectors::hubspot

MAILSIFT_PLUGIN(mailsift::connectors::hubspot::HubspotConnector, "mailsift.connector.hubspot",
                connector)
