#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/authenticated_key.h"
#include "http/limited_input_stream.h"
#include "http/path_params.h"
#include "http/query_params.h"

namespace mailsift::http {

/// Everything a route handler gets for one request: the Poco request and response, the path and
/// query parameters, the authenticated key (on routes that require auth), the body behind the size
/// limit, and helpers to answer. Lives on the request's thread for the duration of the handler.
class RequestContext {
  public:
    /// `bodyProgress` (may be null) is told how far the body has been read; it must outlive this.
    RequestContext(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   PathParams pathParams, QueryParams query, std::int64_t maxBodyBytes,
                   BodyProgress* bodyProgress = nullptr);

    Poco::Net::HTTPServerRequest& request() { return request_; }
    Poco::Net::HTTPServerResponse& response() { return response_; }

    /// The value of the `{name}` path segment. Asking for a name the route does not have is a
    /// programming error (std::logic_error).
    const std::string& pathParam(std::string_view name) const;
    /// The `{name}` segment as a positive 64-bit id; anything else is HttpError 404 with the
    /// sentence `notFound` (an id that cannot exist is an unknown id, not a bad request).
    std::int64_t pathId(std::string_view name, const std::string& notFound = "Not found") const;
    const PathParams& pathParams() const { return pathParams_; }
    const QueryParams& query() const { return query_; }

    /// True on routes that require auth (the dispatcher has checked the key by then).
    bool authenticated() const { return key_.has_value(); }
    /// The caller's account; std::logic_error on a route without auth.
    store::Id accountId() const;
    /// The id of the API key used; std::logic_error on a route without auth.
    store::Id keyId() const;
    /// Called by the dispatcher once the key is verified.
    void setAuthenticatedKey(AuthenticatedKey key) { key_ = std::move(key); }

    /// The request body, read through the size limit (HttpError 413 past it). Chunked bodies
    /// are decoded by Poco underneath.
    std::istream& body();
    /// True when reading the body crossed the size limit.
    bool bodyLimitExceeded() const { return body_ && body_->limitExceeded(); }

    /// Sends `value` (a Poco JSON Object::Ptr / Array::Ptr or any Var) as application/json.
    void sendJson(int status, const Poco::Dynamic::Var& value);
    /// Sends `body` verbatim with the given content type.
    void sendText(int status, std::string_view contentType, std::string_view body);
    /// Sends `{"error": sentence}`.
    void sendError(int status, std::string_view sentence);
    /// True once a response has been started (headers sent).
    bool responded() const { return response_.sent(); }

  private:
    Poco::Net::HTTPServerRequest& request_;
    Poco::Net::HTTPServerResponse& response_;
    PathParams pathParams_;
    QueryParams query_;
    std::int64_t maxBodyBytes_;
    BodyProgress* bodyProgress_;
    std::optional<AuthenticatedKey> key_;
    std::unique_ptr<LimitedInputStream> body_;
};

/// Parses a positive 64-bit decimal id (no sign, no leading '+', no spaces); nullopt otherwise.
std::optional<std::int64_t> parseId(std::string_view text);

}  // namespace mailsift::http
