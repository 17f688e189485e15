#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mailsift::http {

/// Thrown by handlers (and helpers they call) to answer with an HTTP error. The dispatcher turns
/// it into `{"error": "<sentence>"}` with the given status and any extra headers (e.g. Retry-After
/// for 429). The sentence is shown to API clients: say what went wrong and what to do, never
/// internals.
class HttpError : public std::runtime_error {
  public:
    HttpError(int status, const std::string& sentence);

    /// Adds a header to the error response; returns *this so it can be chained before throwing.
    HttpError& withHeader(std::string name, std::string value);

    int status() const { return status_; }
    const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

  private:
    int status_;
    std::vector<std::pair<std::string, std::string>> headers_;
};

}  // namespace mailsift::http
