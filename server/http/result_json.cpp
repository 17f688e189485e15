#include "http/result_json.h"

#include <Poco/JSON/Array.h>

namespace mailsift::http {

Poco::JSON::Object::Ptr resultToJson(const engine::ValidationResult& result) {
    Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    object->set("syntax", result.syntax);
    object->set("mx", result.mx);
    object->set("mailbox", result.mailbox);
    object->set("score", result.score);
    object->set("classifier", result.classifier);
    Poco::JSON::Array::Ptr codes = new Poco::JSON::Array;
    for (const std::string& code : result.description)
        codes->add(code);
    object->set("description", codes);
    object->set("smtpResponse", result.smtpResponse);
    if (!result.normalized.empty())
        object->set("normalized", result.normalized);
    if (!result.suggestion.empty())
        object->set("suggestion", result.suggestion);
    object->set("free", result.free);
    if (!result.mxHost.empty())
        object->set("mxHost", result.mxHost);
    return object;
}

}  // namespace mailsift::http
