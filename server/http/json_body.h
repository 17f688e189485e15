#pragma once

#include <Poco/JSON/Object.h>

#include <istream>

namespace mailsift::http {

/// Parses a request body that must be one JSON object. Throws HttpError 400 with a sentence such
/// as "The request body is not valid JSON: ..." for malformed input or another JSON type; a body
/// over the size limit surfaces as the 413 HttpError of the body stream.
Poco::JSON::Object::Ptr parseJsonObjectBody(std::istream& body);

}  // namespace mailsift::http
