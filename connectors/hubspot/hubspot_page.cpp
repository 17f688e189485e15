#include "hubspot/hubspot_page.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>

#include "mailsift/connector.h"

namespace mailsift::connectors::hubspot {
namespace {

/// The `after` of paging.next, "" on the last page.
std::string nextAfter(const Poco::JSON::Object& page) {
    Poco::JSON::Object::Ptr paging = page.getObject("paging");
    if (!paging)
        return "";
    Poco::JSON::Object::Ptr next = paging->getObject("next");
    if (!next || !next->has("after"))
        return "";
    std::string after = next->get("after").toString();
    if (after.size() > kMaxCursorBytes) {
        throw ConnectorError(ConnectorError::Kind::unavailable,
                             "HubSpot sent a paging cursor longer than " +
                                 std::to_string(kMaxCursorBytes) +
                                 " bytes; the import stopped. Try again later.");
    }
    return after;
}

/// A null where HubSpot documents a value (Poco::InvalidAccessException from toString) ends the
/// import with a sentence, like any other answer that is not the documented shape.
[[noreturn]] void notThePage() {
    throw ConnectorError(ConnectorError::Kind::unavailable,
                         "HubSpot answered with a page that is not the shape its API documents; "
                         "the import stopped.");
}

std::string emailOf(const Poco::JSON::Object& contact) {
    Poco::JSON::Object::Ptr properties = contact.getObject("properties");
    if (!properties || !properties->has("email") || properties->isNull("email"))
        return "";
    return properties->get("email").toString();
}

}  // namespace

Page readContactsPage(const Poco::JSON::Object& page) try {
    Page out;
    Poco::JSON::Array::Ptr results = page.getArray("results");
    for (std::size_t i = 0; results && i < results->size(); ++i) {
        Poco::JSON::Object::Ptr contact = results->getObject(static_cast<unsigned>(i));
        if (contact) {
            if (std::string email = emailOf(*contact); !email.empty())
                out.items.push_back(std::move(email));
        }
    }
    out.after = nextAfter(page);
    return out;
} catch (const Poco::Exception&) {
    notThePage();
}

Page readMembersPage(const Poco::JSON::Object& page) try {
    Page out;
    Poco::JSON::Array::Ptr members = page.getArray("results");
    for (std::size_t i = 0; members && i < members->size(); ++i) {
        Poco::JSON::Object::Ptr member = members->getObject(static_cast<unsigned>(i));
        if (member && member->has("recordId"))
            out.items.push_back(member->get("recordId").toString());
    }
    out.after = nextAfter(page);
    return out;
} catch (const Poco::Exception&) {
    notThePage();
}

}  // namespace mailsift::connectors::hubspot
