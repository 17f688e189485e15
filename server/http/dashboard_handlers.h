#pragma once

#include <string>

#include "http/router.h"

namespace mailsift::http {

/// The Content-Security-Policy of every dashboard response: scripts, styles and requests only
/// from this origin, no inline script, no framing, no plugins.
inline constexpr const char* kDashboardContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Registers the web dashboard, served without auth (the page asks for an API key and sends it
/// from the browser in the Authorization header; the server never sets a cookie):
///   GET /               index.html of `webRoot`
///   GET /assets/{name}  a file of `webRoot`/assets (plain names only; anything else is 404)
/// Responses carry the content type, an ETag (If-None-Match answers 304), Cache-Control:
/// no-cache, the Content-Security-Policy above and nosniff / no-referrer / no-framing headers.
/// An empty or missing `webRoot` makes both routes answer 404 with a sentence.
void registerDashboardRoutes(Router& router, const std::string& webRoot);

}  // namespace mailsift::http
