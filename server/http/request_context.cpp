#include "http/request_context.h"

#include <charconv>
#include <stdexcept>

#include "http/http_error.h"
#include "http/response_writer.h"

namespace mailsift::http {

std::optional<std::int64_t> parseId(std::string_view text) {
    if (text.empty() || text.front() < '0' || text.front() > '9') {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

RequestContext::RequestContext(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response, PathParams pathParams,
                               QueryParams query, std::int64_t maxBodyBytes,
                               BodyProgress* bodyProgress)
    : request_(request),
      response_(response),
      pathParams_(std::move(pathParams)),
      query_(std::move(query)),
      maxBodyBytes_(maxBodyBytes),
      bodyProgress_(bodyProgress) {}

const std::string& RequestContext::pathParam(std::string_view name) const {
    for (const auto& [key, value] : pathParams_) {
        if (key == name) {
            return value;
        }
    }
    throw std::logic_error("The route has no path parameter named " + std::string(name) + ".");
}

std::int64_t RequestContext::pathId(std::string_view name, const std::string& notFound) const {
    const auto id = parseId(pathParam(name));
    if (!id) {
        throw HttpError(404, notFound);
    }
    return *id;
}

store::Id RequestContext::accountId() const {
    if (!key_) {
        throw std::logic_error("accountId() was called on a route that does not require auth.");
    }
    return key_->accountId;
}

store::Id RequestContext::keyId() const {
    if (!key_) {
        throw std::logic_error("keyId() was called on a route that does not require auth.");
    }
    return key_->keyId;
}

std::istream& RequestContext::body() {
    if (!body_) {
        body_ =
            std::make_unique<LimitedInputStream>(request_.stream(), maxBodyBytes_, bodyProgress_);
    }
    return *body_;
}

void RequestContext::sendJson(int status, const Poco::Dynamic::Var& value) {
    response_writer::writeJson(response_, status, value);
}

void RequestContext::sendText(int status, std::string_view contentType, std::string_view body) {
    response_writer::writeText(request_, response_, status, contentType, body);
}

void RequestContext::sendError(int status, std::string_view sentence) {
    response_writer::writeError(response_, status, sentence);
}

}  // namespace mailsift::http
