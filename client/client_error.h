#pragma once

#include <stdexcept>
#include <string>

namespace mailsift::client {

/// Exit codes of the mailsift command (also listed by `mailsift --help`).
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kServerError = 1;   ///< the server answered with an error (400, 404, 5xx...)
inline constexpr int kUsage = 2;         ///< bad command line
inline constexpr int kUnreachable = 3;   ///< no answer: connection refused, DNS, timeout, TLS
inline constexpr int kUnauthorized = 4;  ///< the server refused the API key (401)
inline constexpr int kJobFailed = 5;     ///< a watched job ended in state failed
inline constexpr int kLocalFile = 6;     ///< a local file could not be read or written
}  // namespace exit_code

/// A failure to show the user as one sentence, with the exit code that goes with it.
class ClientError : public std::runtime_error {
  public:
    ClientError(int exitCode, const std::string& sentence)
        : std::runtime_error(sentence), exitCode_(exitCode) {}
    int exitCode() const { return exitCode_; }

  private:
    int exitCode_;
};

}  // namespace mailsift::client
