#include "mailjet/mailjet_page.h"

#include <Poco/JSON/Array.h>

namespace mailsift::connectors::mailjet {

Page readContactsPage(const Poco::JSON::Object& page, long long offset, int pageSize) {
    Page out;
    Poco::JSON::Array::Ptr data = page.getArray("Data");
    out.count = data ? data->size() : 0;
    for (std::size_t i = 0; i < out.count; ++i) {
        Poco::JSON::Object::Ptr contact = data->getObject(static_cast<unsigned>(i));
        if (contact && contact->has("Email") && !contact->isNull("Email")) {
            std::string email = contact->get("Email").toString();
            if (!email.empty())
                out.emails.push_back(std::move(email));
        }
    }
    const bool last = out.count < static_cast<std::size_t>(pageSize);
    if (!last)
        out.next = std::to_string(offset + static_cast<long long>(out.count));
    return out;
}

}  // namespace mailsift::connectors::mailjet
