#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/request_context.h"

namespace mailsift::http {

/// What a route needs besides its handler.
struct RouteOptions {
    bool requireAuth = true;  ///< every /v1 route; service routes (/healthz ...) set false
};

/// Answers one request. Runs on a server thread; may throw HttpError (or anything else: 500).
using Handler = std::function<void(RequestContext&)>;

/// One registered route. `pattern` is the display form used as the metrics label, e.g.
/// "/v1/email/validate/job/{id}" (a `{id:int}` segment shows as `{id}`).
struct Route {
    struct Segment {
        std::string text;  ///< literal text, or the parameter name
        bool isParam = false;
        bool isInteger = false;  ///< `{name:int}`: only a positive 64-bit decimal matches
    };

    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    RouteOptions options;
};

}  // namespace mailsift::http
