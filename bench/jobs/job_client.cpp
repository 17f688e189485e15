#include "job_client.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace mailsift::bench {
namespace {

const std::string kBoundary = "----mailsiftBenchJobsBoundary1q2w3e4r";

std::string readBody(std::istream& in) {
    std::string body;
    Poco::StreamCopier::copyToString(in, body);
    return body;
}

std::string part(const std::string& name, const std::string& value) {
    return "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
           value + "\r\n";
}

}  // namespace

std::string serverBinary() {
    const char* other = std::getenv("MAILSIFT_BENCH_SERVER");
    return other != nullptr && *other != '\0' ? other : MAILSIFT_SERVER_BINARY;
}

std::string get(Poco::Net::HTTPClientSession& session, const std::string& path,
                const std::string& key) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    if (!key.empty()) {
        request.set("Authorization", "Bearer " + key);
    }
    request.setKeepAlive(true);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body = readBody(session.receiveResponse(response));
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK) {
        throw std::runtime_error("GET " + path + ": " + std::to_string(response.getStatus()) + " " +
                                 body.substr(0, 300));
    }
    return body;
}

std::int64_t upload(std::uint16_t port, const std::string& key, const std::string& csvPath,
                    const std::string& label) {
    const std::string head = part("label", label) + part("source", "file") + "--" + kBoundary +
                             "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                             label + ".csv\"\r\nContent-Type: text/csv\r\n\r\n";
    const std::string tail = "\r\n--" + kBoundary + "--\r\n";
    std::ifstream file(csvPath, std::ios::binary | std::ios::ate);
    const auto fileBytes = static_cast<std::int64_t>(file.tellg());
    file.seekg(0);
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(600, 0));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, kJobsPath,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + key);
    request.setContentType("multipart/form-data; boundary=" + kBoundary);
    request.setContentLength64(static_cast<Poco::Int64>(head.size() + tail.size()) + fileBytes);
    std::ostream& body = session.sendRequest(request);
    body << head;
    Poco::StreamCopier::copyStream(file, body, 256 * 1024);
    body << tail;
    Poco::Net::HTTPResponse response;
    const std::string answer = readBody(session.receiveResponse(response));
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_CREATED) {
        throw std::runtime_error("upload: " + std::to_string(response.getStatus()) + " " +
                                 answer.substr(0, 300));
    }
    Poco::JSON::Parser parser;
    return parser.parse(answer).extract<Poco::JSON::Object::Ptr>()->getValue<std::int64_t>("id");
}

Poco::JSON::Object::Ptr jobJson(Poco::Net::HTTPClientSession& session, const std::string& key,
                                std::int64_t id) {
    Poco::JSON::Parser parser;
    return parser.parse(get(session, kJobsPath + "/" + std::to_string(id), key))
        .extract<Poco::JSON::Object::Ptr>();
}

}  // namespace mailsift::bench
