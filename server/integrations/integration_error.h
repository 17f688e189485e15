#pragma once

#include <stdexcept>
#include <string>

namespace mailsift::integrations {

/// A request about integrations that cannot be served; the message is a sentence for the client.
class IntegrationError : public std::runtime_error {
  public:
    enum class Kind {
        badRequest,   ///< 400
        notFound,     ///< 404
        conflict,     ///< 409: the name is taken
        unavailable,  ///< 503: no secret key configured
    };
    IntegrationError(Kind kind, const std::string& sentence)
        : std::runtime_error(sentence), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

}  // namespace mailsift::integrations
