#include "support/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace mailsift::testing {

HttpResponse HttpClient::request(const std::string& method, const std::string& path,
                                 const std::string& bearer, const std::string& body,
                                 const std::string& contentType) const {
    Poco::Net::HTTPClientSession session(host_, port_);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!bearer.empty())
        req.set("Authorization", "Bearer " + bearer);
    if (!body.empty() || method == "POST" || method == "PUT") {
        req.setContentType(contentType);
        req.setContentLength(static_cast<std::streamsize>(body.size()));
    }
    session.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = session.receiveResponse(res);
    HttpResponse out;
    out.status = res.getStatus();
    Poco::StreamCopier::copyToString(in, out.body);
    for (const auto& [name, value] : res)
        out.headers[Poco::toLower(name)] = value;
    return out;
}

}  // namespace mailsift::testing
