#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace mailsift::testing {

struct HttpResponse {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  ///< names lower-cased
};

/// Blocking one-request-per-call HTTP client for tests (loopback only).
class HttpClient {
  public:
    HttpClient(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}

    /// Sends one request; `bearer` adds "Authorization: Bearer <bearer>" when not empty.
    HttpResponse request(const std::string& method, const std::string& path,
                         const std::string& bearer = "", const std::string& body = "",
                         const std::string& contentType = "application/json") const;
    HttpResponse get(const std::string& path, const std::string& bearer = "") const {
        return request("GET", path, bearer);
    }

  private:
    std::string host_;
    std::uint16_t port_;
};

}  // namespace mailsift::testing
