#include "http/http_error.h"

namespace mailsift::http {

HttpError::HttpError(int status, const std::string& sentence)
    : std::runtime_error(sentence), status_(status) {}

HttpError& HttpError::withHeader(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
}

}  // namespace mailsift::http
