#pragma once
// What the Mailchimp connector reads from one page of GET /3.0/lists/{id}/members (split out of
// the plugin so that tests/fuzz/provider_response_fuzz.cpp runs the same code on arbitrary
// answers).

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace mailsift::connectors::mailchimp {

struct Page {
    std::vector<std::string> emails;  ///< the email_address of each entry of members
    std::size_t count = 0;            ///< entries in members (the next offset moves by it)
    std::string next;                 ///< the next offset as the import's cursor, "" after the last
};

/// The page that GET /3.0/lists/{id}/members?offset=`offset` answered with; the last page is an
/// empty one or the one that reaches total_items.
Page readMembersPage(const Poco::JSON::Object& page, long long offset);

}  // namespace mailsift::connectors::mailchimp
