#include "http/validate_request.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "http/http_error.h"
#include "http/json_body.h"

namespace mailsift::http {
namespace {

/// The `emails` member of the body as strings; HttpError 400 with a sentence otherwise.
std::vector<std::string> emailsOf(const Poco::JSON::Object::Ptr& body, int maxEmails) {
    if (!body->has("emails")) {
        throw HttpError(400, "The request body needs an \"emails\" array of addresses.");
    }
    const Poco::Dynamic::Var value = body->get("emails");
    if (value.type() != typeid(Poco::JSON::Array::Ptr)) {
        throw HttpError(400, "\"emails\" must be an array of strings.");
    }
    const auto array = value.extract<Poco::JSON::Array::Ptr>();
    if (array->size() == 0) {
        throw HttpError(400, "\"emails\" is empty: send between 1 and " +
                                 std::to_string(maxEmails) + " addresses.");
    }
    if (array->size() > static_cast<std::size_t>(maxEmails)) {
        throw HttpError(400, "\"emails\" has " + std::to_string(array->size()) +
                                 " addresses; at most " + std::to_string(maxEmails) +
                                 " are checked per request. Create a validation job for more.");
    }
    std::vector<std::string> emails;
    emails.reserve(array->size());
    for (std::size_t i = 0; i < array->size(); ++i) {
        const Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString()) {
            throw HttpError(400, "\"emails\" must be an array of strings; item " +
                                     std::to_string(i) + " is not a string.");
        }
        emails.push_back(item.extract<std::string>());
    }
    return emails;
}

}  // namespace

std::vector<std::string> readValidateRequest(std::istream& body, int maxEmails) {
    return emailsOf(parseJsonObjectBody(body), maxEmails);
}

}  // namespace mailsift::http
