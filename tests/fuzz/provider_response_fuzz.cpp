// The provider connectors' reading of an API answer (connectors/hubspot, mailjet, mailchimp) on
// arbitrary bytes: ProviderClient::parseObject, then the provider's page reader. The first byte
// picks the provider and page kind (low two bits) and the paging position (the rest); the other
// bytes are the body of a 200 answer. Promises: rows or a ConnectorError, never a crash or another
// exception; no empty email from HubSpot or Mailjet; at most one row per entry of the page; a
// cursor that is "" on the last page, otherwise HubSpot's `after` within kMaxCursorBytes or the
// next offset (previous offset plus the entries of this page).
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/provider_client.h"
#include "fuzz_check.h"
#include "hubspot/hubspot_page.h"
#include "mailchimp/mailchimp_page.h"
#include "mailjet/mailjet_page.h"
#include "mailsift/connector.h"

namespace {

namespace cx = mailsift::connectors;

void checkHubspot(const Poco::JSON::Object& page, bool members) {
    const cx::hubspot::Page read =
        members ? cx::hubspot::readMembersPage(page) : cx::hubspot::readContactsPage(page);
    if (!members) {
        for (const std::string& email : read.items)
            FUZZ_CHECK(!email.empty(), "no empty HubSpot email");
    }
    FUZZ_CHECK(read.after.size() <= cx::hubspot::kMaxCursorBytes, "a bounded HubSpot cursor");
}

void checkMailjet(const Poco::JSON::Object& page, long long offset, int pageSize) {
    const cx::mailjet::Page read = cx::mailjet::readContactsPage(page, offset, pageSize);
    FUZZ_CHECK(read.emails.size() <= read.count, "at most one Mailjet row per contact");
    for (const std::string& email : read.emails)
        FUZZ_CHECK(!email.empty(), "no empty Mailjet email");
    if (read.count < static_cast<std::size_t>(pageSize))
        FUZZ_CHECK(read.next.empty(), "a short Mailjet page is the last");
    else
        FUZZ_CHECK(read.next == std::to_string(offset + static_cast<long long>(read.count)),
                   "the next Mailjet offset follows this page");
}

void checkMailchimp(const Poco::JSON::Object& page, long long offset) {
    const cx::mailchimp::Page read = cx::mailchimp::readMembersPage(page, offset);
    FUZZ_CHECK(read.emails.size() <= read.count, "at most one Mailchimp row per member");
    if (read.count == 0)
        FUZZ_CHECK(read.next.empty(), "an empty Mailchimp page is the last");
    FUZZ_CHECK(read.next.empty() ||
                   read.next == std::to_string(offset + static_cast<long long>(read.count)),
               "the next Mailchimp offset follows this page");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const unsigned control = data[0];
    const unsigned kind = control & 3u;
    const unsigned position = control >> 2;  // 0..63
    const long long offset = static_cast<long long>(position) * 1000;
    const int pageSize = static_cast<int>(position % 8) + 1;  // small, so full pages happen

    static const char* const kProviders[] = {"HubSpot", "HubSpot", "Mailjet", "Mailchimp"};
    cx::ProviderClientOptions options;
    options.provider = kProviders[kind];
    options.baseUrl = "http://127.0.0.1:9";  // never used: parseObject sends nothing
    const cx::ProviderClient client(options, [] { return true; });
    cx::ProviderResponse response;
    response.status = 200;
    response.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
    try {
        const Poco::JSON::Object::Ptr page = client.parseObject(response);
        FUZZ_CHECK(page, "parseObject returns an object or throws");
        switch (kind) {
            case 0:
            case 1:
                checkHubspot(*page, kind == 1);
                break;
            case 2:
                checkMailjet(*page, offset, pageSize);
                break;
            default:
                checkMailchimp(*page, offset);
                break;
        }
    } catch (const mailsift::ConnectorError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
