#pragma once

#include <stdexcept>
#include <string>

namespace mailsift::jobs {

/// A job request that cannot be carried out as asked. The message is a sentence for the API client
/// (what went wrong and what to do); the kind tells the HTTP layer which status to answer.
class JobError : public std::runtime_error {
  public:
    enum class Kind {
        badRequest,  ///< 400: unknown source, missing field, unreadable file, unknown filter
        tooLarge,    ///< 413: upload or row count over the configured limit
        notFound,    ///< 404: no such job for this account
        unavailable  ///< 503: a source the server cannot reach now (an integration's API)
    };

    JobError(Kind kind, const std::string& sentence) : std::runtime_error(sentence), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

}  // namespace mailsift::jobs
