#pragma once
// What the HubSpot connector reads from one page of HubSpot's answers (split out of the plugin so
// that tests/fuzz/provider_response_fuzz.cpp runs the same code on arbitrary answers).

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace mailsift::connectors::hubspot {

/// One page: the emails of its contacts (or the recordIds of a list's members) and HubSpot's
/// `after` of paging.next, "" on the last page.
struct Page {
    std::vector<std::string> items;
    std::string after;
};

/// Longest `after` cursor the connector takes from HubSpot (whose cursors are short tokens); a
/// longer one is a ConnectorError, so that a broken answer cannot bloat the stored cursor.
inline constexpr std::size_t kMaxCursorBytes = 1024;

/// A page of GET /crm/v3/objects/contacts or of POST .../contacts/batch/read: the non-empty
/// properties.email of each contact in `results`, and paging.next.after.
Page readContactsPage(const Poco::JSON::Object& page);

/// A page of GET /crm/v3/lists/{id}/memberships: the recordId of each member in `results`, and
/// paging.next.after.
/// Both throw ConnectorError (unavailable) for a page that is not the documented shape: a null
/// `after` or recordId, or an `after` over kMaxCursorBytes.
Page readMembersPage(const Poco::JSON::Object& page);

}  // namespace mailsift::connectors::hubspot
