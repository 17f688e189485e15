#pragma once
// What the Mailjet connector reads from one page of GET /v3/REST/contact (split out of the plugin
// so that tests/fuzz/provider_response_fuzz.cpp runs the same code on arbitrary answers).

#include <Poco/JSON/Object.h>

#include <cstddef>
#include <string>
#include <vector>

namespace mailsift::connectors::mailjet {

struct Page {
    std::vector<std::string> emails;  ///< the non-empty Email of each contact in Data
    std::size_t count = 0;  ///< entries in Data, emails or not (the next Offset moves by it)
    std::string next;       ///< the next Offset as the import's cursor, "" after the last
};

/// The page that GET /v3/REST/contact?Limit=`pageSize`&Offset=`offset` answered with; a page
/// shorter than `pageSize` is the last.
Page readContactsPage(const Poco::JSON::Object& page, long long offset, int pageSize);

}  // namespace mailsift::connectors::mailjet
