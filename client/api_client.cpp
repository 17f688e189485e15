#include "api_client.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timespan.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "client_error.h"

namespace mailsift::client {
namespace {

constexpr int kTimeoutSeconds = 60;
constexpr std::size_t kMaxErrorBody = 64 * 1024;

/// Quotes a multipart header value (names and file names).
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\' || c == '\r' || c == '\n')
            out += '_';
        else
            out += c;
    }
    return out + "\"";
}

std::string randomBoundary() {
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::string boundary = "----mailsift-";
    for (int i = 0; i < 24; ++i)
        boundary += kChars[device() % (sizeof(kChars) - 1)];
    return boundary;
}

/// The server's error sentence from a JSON error body, or a fallback naming the status.
std::string errorSentence(int status, const std::string& reason, const std::string& body) {
    try {
        Poco::JSON::Parser parser;
        const auto parsed = parser.parse(body);
        if (parsed.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto object = parsed.extract<Poco::JSON::Object::Ptr>();
            if (object->has("error"))
                return object->getValue<std::string>("error");
        }
    } catch (const std::exception&) {
        // not JSON: fall through to the status line
    }
    return "The server answered " + std::to_string(status) + " " + reason + ".";
}

std::string readAll(std::istream& in) {
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

}  // namespace

Poco::Dynamic::Var parseJson(const std::string& text) {
    try {
        Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
        return parser.parse(text);
    } catch (const std::exception&) {
        throw ClientError(exit_code::kServerError,
                          "The server's answer is not JSON; is --url pointing at a mailsift "
                          "server?");
    }
}

std::string encodeComponent(const std::string& value) {
    std::string out;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", out);
    return out;
}

ApiClient::ApiClient(const std::string& url, std::string apiKey, std::string caFile)
    : url_(url), apiKey_(std::move(apiKey)), caFile_(std::move(caFile)) {
    try {
        uri_ = Poco::URI(url);
    } catch (const Poco::Exception&) {
        throw ClientError(exit_code::kUsage, "The server URL \"" + url +
                                                 "\" is not a URL; use e.g. "
                                                 "http://localhost:8080.");
    }
    if ((uri_.getScheme() != "http" && uri_.getScheme() != "https") || uri_.getHost().empty()) {
        throw ClientError(exit_code::kUsage, "The server URL \"" + url +
                                                 "\" must start with http:// or https:// and "
                                                 "name a host, e.g. http://localhost:8080.");
    }
}

ApiClient::~ApiClient() {
    if (tls_) {
        tls_ = nullptr;
        Poco::Net::uninitializeSSL();
    }
}

std::unique_ptr<Poco::Net::HTTPClientSession> ApiClient::session() {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (uri_.getScheme() == "https") {
        if (!tls_) {
            Poco::Net::initializeSSL();
            // The system's CA store plus --ca-file; the certificate must name the host.
            tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", caFile_,
                                          Poco::Net::Context::VERIFY_RELAXED, 9, true);
            tls_->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        }
        session =
            std::make_unique<Poco::Net::HTTPSClientSession>(uri_.getHost(), uri_.getPort(), tls_);
    } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(uri_.getHost(), uri_.getPort());
    }
    session->setTimeout(Poco::Timespan(kTimeoutSeconds, 0));
    return session;
}

std::string ApiClient::target(const std::string& path) const {
    std::string prefix = uri_.getPath();
    while (!prefix.empty() && prefix.back() == '/')
        prefix.pop_back();
    return prefix + path;
}

void ApiClient::unreachable(const std::string& reason) const {
    if (reason.find("ertificate") != std::string::npos) {
        throw ClientError(exit_code::kUnreachable,
                          "Could not reach the mailsift server at " + url_ + ": " + reason +
                              ". If the server's certificate is self-signed or from a private "
                              "CA, pass that certificate with --ca-file (or MAILSIFT_CA_FILE).");
    }
    throw ClientError(exit_code::kUnreachable,
                      "Could not reach the mailsift server at " + url_ + ": " + reason +
                          ". Check --url (or MAILSIFT_URL) and that the server is running.");
}

std::istream& ApiClient::receive(Poco::Net::HTTPClientSession& session, int& status) {
    Poco::Net::HTTPResponse response;
    std::istream* in = nullptr;
    try {
        in = &session.receiveResponse(response);
    } catch (const Poco::Exception& e) {
        unreachable(e.displayText());
    }
    status = static_cast<int>(response.getStatus());
    if (status >= 200 && status < 300)
        return *in;
    std::string body;
    std::array<char, 4096> chunk{};
    while (body.size() < kMaxErrorBody && in->read(chunk.data(), chunk.size()).gcount() > 0)
        body.append(chunk.data(), static_cast<std::size_t>(in->gcount()));
    const std::string sentence = errorSentence(status, response.getReason(), body);
    if (status == 401) {
        throw ClientError(exit_code::kUnauthorized,
                          "The server refused the API key (" + sentence +
                              "). Pass a valid key with --key or MAILSIFT_API_KEY; "
                              "mailsift-server keys create prints one.");
    }
    std::string message = sentence;
    if (status == 429 && response.has("Retry-After"))
        message += " (retry after " + response.get("Retry-After") + " s)";
    throw ClientError(exit_code::kServerError, message);
}

Poco::Dynamic::Var ApiClient::json(const std::string& method, const std::string& path,
                                   const std::string& body) {
    return parseJson(text(method, path, body));
}

std::string ApiClient::text(const std::string& method, const std::string& path,
                            const std::string& body) {
    auto http = session();
    Poco::Net::HTTPRequest request(method, target(path), Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + apiKey_);
    request.set("Accept", "application/json");
    if (!body.empty()) {
        request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    } else if (method == "POST" || method == "PUT") {
        request.setContentLength64(0);
    }
    try {
        http->sendRequest(request) << body;
    } catch (const Poco::Exception& e) {
        unreachable(e.displayText());
    }
    int status = 0;
    std::istream& in = receive(*http, status);
    try {
        return readAll(in);
    } catch (const Poco::Exception& e) {
        unreachable("the answer broke off: " + e.displayText());
    }
}

Poco::Dynamic::Var ApiClient::upload(const std::string& path, const std::vector<FormPart>& parts) {
    const std::string boundary = randomBoundary();
    // Each part's head and the file beside it; the length is known before sending, so the body
    // goes out with a Content-Length and the file streams from disk.
    struct Piece {
        std::string text;
        std::string filePath;
        std::uint64_t fileSize = 0;
    };
    std::vector<Piece> pieces;
    std::uint64_t length = 0;
    for (const FormPart& part : parts) {
        Piece piece;
        piece.text =
            "--" + boundary + "\r\nContent-Disposition: form-data; name=" + quoted(part.name);
        if (!part.filePath.empty()) {
            std::error_code error;
            const auto status = std::filesystem::status(part.filePath, error);
            if (error || !std::filesystem::is_regular_file(status)) {
                throw ClientError(exit_code::kLocalFile,
                                  "Cannot read " + part.filePath + ": " +
                                      (error ? error.message() : "it is not a regular file") + ".");
            }
            piece.filePath = part.filePath;
            piece.fileSize = std::filesystem::file_size(part.filePath);
            piece.text += "; filename=" + quoted(part.fileName) +
                          "\r\nContent-Type: application/octet-stream\r\n\r\n";
        } else {
            piece.text += "\r\n\r\n" + part.value;
        }
        length += piece.text.size() + piece.fileSize + 2;  // + CRLF after the content
        pieces.push_back(std::move(piece));
    }
    const std::string closing = "--" + boundary + "--\r\n";
    length += closing.size();

    std::vector<std::unique_ptr<std::ifstream>> files;
    for (const Piece& piece : pieces) {
        if (piece.filePath.empty())
            continue;
        auto file = std::make_unique<std::ifstream>(piece.filePath, std::ios::binary);
        if (!*file) {
            throw ClientError(exit_code::kLocalFile,
                              "Cannot read " + piece.filePath + ": " + std::strerror(errno) + ".");
        }
        files.push_back(std::move(file));
    }

    auto http = session();
    Poco::Net::HTTPRequest request("POST", target(path), Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + apiKey_);
    request.set("Accept", "application/json");
    request.setContentType("multipart/form-data; boundary=" + boundary);
    request.setContentLength64(static_cast<Poco::Int64>(length));
    bool sendFailed = false;
    std::string sendError;
    try {
        std::ostream& out = http->sendRequest(request);
        std::size_t nextFile = 0;
        for (const Piece& piece : pieces) {
            out << piece.text;
            if (!piece.filePath.empty()) {
                std::ifstream& file = *files[nextFile++];
                const std::uint64_t copied = Poco::StreamCopier::copyStream64(file, out, 64 * 1024);
                if (!out.good())
                    break;  // the server stopped reading; its answer says why
                if (copied != piece.fileSize) {
                    throw ClientError(exit_code::kLocalFile, "Could not read all of " +
                                                                 piece.filePath +
                                                                 " (it changed while being sent).");
                }
            }
            out << "\r\n";
        }
        if (out.good())
            out << closing;
        out.flush();
        sendFailed = !out.good();
    } catch (const Poco::Exception& e) {
        // The server may have answered early (a refused key, a body over its limit) and closed;
        // its answer says more than the broken pipe does.
        sendFailed = true;
        sendError = e.displayText();
    }
    int status = 0;
    try {
        std::istream& in = receive(*http, status);
        return parseJson(readAll(in));
    } catch (const ClientError& e) {
        if (sendFailed && e.exitCode() == exit_code::kUnreachable && !sendError.empty())
            unreachable(sendError);
        throw;
    }
}

std::uint64_t ApiClient::download(const std::string& path, std::ostream& out) {
    auto http = session();
    Poco::Net::HTTPRequest request("GET", target(path), Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + apiKey_);
    try {
        http->sendRequest(request);
    } catch (const Poco::Exception& e) {
        unreachable(e.displayText());
    }
    int status = 0;
    std::istream& in = receive(*http, status);
    try {
        return Poco::StreamCopier::copyStream64(in, out, 64 * 1024);
    } catch (const Poco::Exception& e) {
        unreachable("the download broke off: " + e.displayText());
    }
}

}  // namespace mailsift::client
