#include "mailchimp/mailchimp_page.h"

#include <Poco/JSON/Array.h>

namespace mailsift::connectors::mailchimp {

Page readMembersPage(const Poco::JSON::Object& page, long long offset) {
    Page out;
    Poco::JSON::Array::Ptr members = page.getArray("members");
    out.count = members ? members->size() : 0;
    for (std::size_t i = 0; i < out.count; ++i) {
        Poco::JSON::Object::Ptr member = members->getObject(static_cast<unsigned>(i));
        if (member && member->has("email_address") && !member->isNull("email_address"))
            out.emails.push_back(member->get("email_address").toString());
    }
    offset += static_cast<long long>(out.count);
    const long long total = page.optValue<long long>("total_items", 0);
    const bool last = out.count == 0 || offset >= total;
    if (!last)
        out.next = std::to_string(offset);
    return out;
}

}  // namespace mailsift::connectors::mailchimp
