#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

namespace mailsift::connectors {

/// JSON text of `value` (an Object::Ptr, Array::Ptr or scalar).
inline std::string jsonText(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
}

/// The object in `text` (credentials and options the host checked already).
inline Poco::JSON::Object::Ptr jsonObject(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

/// Basic authentication header value for `user`:`password`.
std::string basicAuth(const std::string& user, const std::string& password);

}  // namespace mailsift::connectors
