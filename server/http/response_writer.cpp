#include "http/response_writer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>
#include <string>

namespace mailsift::http::response_writer {

void writeText(Poco::Net::HTTPServerResponse& response, int status, std::string_view contentType,
               std::string_view body) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(std::string(contentType));
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream& out = response.send();
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    out.flush();
}

void writeJson(Poco::Net::HTTPServerResponse& response, int status,
               const Poco::Dynamic::Var& value) {
    std::ostringstream text;
    Poco::JSON::Stringifier::condense(value, text);
    writeText(response, status, "application/json", text.str());
}

void writeError(Poco::Net::HTTPServerResponse& response, int status, std::string_view sentence) {
    Poco::JSON::Object::Ptr error = new Poco::JSON::Object;
    error->set("error", std::string(sentence));
    writeJson(response, status, error);
}

}  // namespace mailsift::http::response_writer
