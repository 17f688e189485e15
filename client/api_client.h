#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Dynamic/Var.h>
#include <Poco/URI.h>

#include <cstdint>
#include <functional>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace Poco::Net {
class Context;
class HTTPClientSession;
class HTTPRequest;
}  // namespace Poco::Net

namespace mailsift::client {

/// One form field of a multipart upload; `file` set means the part streams that file.
struct FormPart {
    std::string name;
    std::string value;     ///< the text of a text field
    std::string filePath;  ///< for the file part: the local path, read while sending
    std::string fileName;  ///< for the file part: the name the server sees
};

/// Talks to one mailsift server over HTTP or HTTPS (Poco's client sessions), one request at a
/// time, with the API key as a bearer token. Every failure is a ClientError with its exit code:
/// unreachable server, refused key, or the server's own error sentence. Not thread-safe.
class ApiClient {
  public:
    /// `url` like http://localhost:8080 (a path prefix is kept); throws ClientError (usage) for
    /// a URL that is not http or https. For https, the server's certificate must chain to the
    /// system's CAs or to those in `caFile` (PEM; "" for none), and name the host.
    ApiClient(const std::string& url, std::string apiKey, std::string caFile = "");
    ~ApiClient();

    /// Sends a request with an optional JSON body; returns the body of a 2xx answer as sent.
    std::string text(const std::string& method, const std::string& path,
                     const std::string& body = "");
    /// text(), parsed as JSON (objects keep their key order).
    Poco::Dynamic::Var json(const std::string& method, const std::string& path,
                            const std::string& body = "");

    /// POSTs a multipart/form-data form, streaming file parts from disk (never held in memory);
    /// returns the parsed JSON answer. ClientError (local file) when a file cannot be read.
    Poco::Dynamic::Var upload(const std::string& path, const std::vector<FormPart>& parts);

    /// GETs `path` and copies a 2xx body to `out` as it arrives; returns the bytes copied.
    std::uint64_t download(const std::string& path, std::ostream& out);

    const std::string& url() const { return url_; }

  private:
    std::unique_ptr<Poco::Net::HTTPClientSession> session();
    std::string target(const std::string& path) const;
    /// Reads the answer; throws ClientError for anything but 2xx; else returns the stream.
    std::istream& receive(Poco::Net::HTTPClientSession& session, int& status);
    [[noreturn]] void unreachable(const std::string& reason) const;

    std::string url_;
    Poco::URI uri_;
    std::string apiKey_;
    std::string caFile_;
    Poco::AutoPtr<Poco::Net::Context> tls_;
};

/// Parses JSON text, keeping key order; ClientError (server error) when it is not JSON.
Poco::Dynamic::Var parseJson(const std::string& text);

/// Percent-encodes one query or path value.
std::string encodeComponent(const std::string& value);

}  // namespace mailsift::client
