#include "http/json_body.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <iterator>
#include <string>

#include "http/http_error.h"

namespace mailsift::http {

Poco::JSON::Object::Ptr parseJsonObjectBody(std::istream& body) {
    // Read everything first so that a 413 from the limited stream is not mistaken for bad JSON.
    const std::string text{std::istreambuf_iterator<char>(body), std::istreambuf_iterator<char>()};
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw HttpError(400, "The request body is empty; send a JSON object.");
    }
    Poco::Dynamic::Var parsed;
    try {
        Poco::JSON::Parser parser;
        parsed = parser.parse(text);
    } catch (const Poco::Exception& e) {
        throw HttpError(400, "The request body is not valid JSON: " + e.message() + ".");
    } catch (const std::exception& e) {
        throw HttpError(400, std::string("The request body is not valid JSON: ") + e.what() + ".");
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
        throw HttpError(400, "The request body must be a JSON object.");
    }
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

}  // namespace mailsift::http
