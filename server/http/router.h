#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/authenticated_key.h"
#include "http/path_params.h"
#include "http/route.h"

namespace mailsift::http {

/// Checks an Authorization header value; nullopt means 401.
using Authenticator = std::function<std::optional<AuthenticatedKey>(std::string_view header)>;

/// The outcome of matching a request line against the route table.
struct RouteMatch {
    enum class Kind { found, methodNotAllowed, notFound };

    Kind kind = Kind::notFound;
    const Route* route = nullptr;      ///< when found
    PathParams params;                 ///< when found
    std::vector<std::string> allowed;  ///< when methodNotAllowed: the path's methods, sorted
};

/// The route table. Patterns are absolute paths whose segments are literals, `{name}` (any one
/// non-empty segment) or `{name:int}` (a positive 64-bit id; anything else is 404, as an unknown
/// id would be). When several patterns match, the one with literals earliest wins.
///
/// Built on one thread before the server starts, then only read (match() is const and safe from
/// any number of threads). Routes are stored in a deque, so Route pointers stay valid.
class Router {
  public:
    /// Registers a route. Throws std::invalid_argument for a malformed pattern or a duplicate
    /// method and pattern.
    void add(std::string_view method, std::string_view pattern, Handler handler,
             RouteOptions options = {});

    /// Finds the route for `path` (the raw, still percent-encoded path, without query string).
    /// HEAD falls back to the GET route of the path, so GET routes also answer HEAD.
    RouteMatch match(std::string_view method, std::string_view path) const;

    /// Sets how routes with requireAuth check the Authorization header. Without one, every such
    /// route answers 401 (fail closed).
    void setAuthenticator(Authenticator authenticator) {
        authenticator_ = std::move(authenticator);
    }
    const Authenticator& authenticator() const { return authenticator_; }

    const std::deque<Route>& routes() const { return routes_; }

  private:
    RouteMatch matchExactly(std::string_view method, std::string_view path) const;

    std::deque<Route> routes_;
    Authenticator authenticator_;
};

}  // namespace mailsift::http
