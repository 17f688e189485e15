#include "result_format.h"

#include <Poco/JSON/Array.h>

namespace mailsift::client {

std::vector<std::string> resultHeader() {
    return {"EMAIL", "CLASSIFIER", "SCORE", "SYNTAX", "MX", "MAILBOX", "DESCRIPTION", "SMTP"};
}

std::string cell(const Poco::JSON::Object::Ptr& object, const std::string& name) {
    if (!object || !object->has(name) || object->isNull(name))
        return "";
    return object->get(name).convert<std::string>();
}

std::vector<std::string> resultRow(const std::string& email,
                                   const Poco::JSON::Object::Ptr& result) {
    if (!result)
        return {email, "pending", "", "", "", "", "", ""};
    std::string description;
    if (const auto codes = result->getArray("description")) {
        for (std::size_t i = 0; i < codes->size(); ++i)
            description +=
                (i ? ";" : "") + codes->getElement<std::string>(static_cast<unsigned>(i));
    }
    if (result->has("suggestion"))
        description += (description.empty() ? "" : " ") + std::string("(did you mean ") +
                       cell(result, "suggestion") + "?)";
    return {email,
            cell(result, "classifier"),
            cell(result, "score"),
            cell(result, "syntax"),
            cell(result, "mx"),
            cell(result, "mailbox"),
            description,
            cell(result, "smtpResponse")};
}

}  // namespace mailsift::client
