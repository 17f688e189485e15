#include "http/response_writer.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <algorithm>
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

void writeText(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               int status, std::string_view contentType, std::string_view body) {
    // Below this, the stream's few sends cost less than the extra write of the headers.
    constexpr std::size_t kDirectBytes = 16 * 1024;
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    if (impl == nullptr || body.size() < kDirectBytes ||
        request.getMethod() == Poco::Net::HTTPRequest::HTTP_HEAD) {
        writeText(response, status, contentType, body);
        return;
    }
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    response.setContentType(std::string(contentType));
    response.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream& out = response.send();
    out.flush();  // the status line and the headers
    if (!out) {
        return;  // the client has gone; Poco closes the connection
    }
    try {
        Poco::Net::StreamSocket& socket = impl->socket();  // TLS-aware on the HTTPS listener
        std::size_t sent = 0;
        while (sent < body.size()) {
            const int n = socket.sendBytes(
                body.data() + sent,
                static_cast<int>(std::min<std::size_t>(body.size() - sent, std::size_t{1} << 30)));
            if (n <= 0) {
                throw Poco::Net::NetException("the connection was closed while sending");
            }
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception&) {
        // The client went away or stopped reading (the watchdog cut it): as with the stream, the
        // body is lost with the connection, which must not be reused.
        response.setKeepAlive(false);
    }
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
