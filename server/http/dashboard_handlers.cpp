#include "http/dashboard_handlers.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/StringTokenizer.h>

#include <ostream>

#include "http/http_error.h"
#include "http/static_files.h"

namespace mailsift::http {

namespace {

const std::string kNotInstalled =
    "The dashboard is not installed on this server; the API under /v1 works without it.";

/// True when the If-None-Match header names `etag` (or is "*").
bool matchesEtag(const Poco::Net::HTTPServerRequest& request, const std::string& etag) {
    const std::string header = request.get("If-None-Match", "");
    if (header.empty())
        return false;
    const Poco::StringTokenizer tags(
        header, ",", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& tag : tags) {
        // A weak comparison, as RFC 9110 asks for If-None-Match: W/ prefixes are ignored.
        const std::string plain = tag.rfind("W/", 0) == 0 ? tag.substr(2) : tag;
        if (plain == "*" || plain == etag)
            return true;
    }
    return false;
}

void sendFile(RequestContext& ctx, const StaticFile& file) {
    auto& response = ctx.response();
    response.set("ETag", file.etag);
    response.set("Cache-Control", "no-cache");
    response.set("Content-Security-Policy", kDashboardContentSecurityPolicy);
    response.set("X-Content-Type-Options", "nosniff");
    response.set("X-Frame-Options", "DENY");
    response.set("Referrer-Policy", "no-referrer");
    if (matchesEtag(ctx.request(), file.etag)) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send().flush();
        return;
    }
    ctx.sendText(200, file.contentType, file.body);
}

}  // namespace

void registerDashboardRoutes(Router& router, const std::string& webRoot) {
    const RouteOptions open{.requireAuth = false};
    const StaticFiles files(webRoot);

    router.add(
        "GET", "/",
        [files](RequestContext& ctx) {
            const auto index = files.read("", "index.html");
            if (!index)
                throw HttpError(404, kNotInstalled);
            sendFile(ctx, *index);
        },
        open);

    router.add(
        "GET", "/assets/{name}",
        [files](RequestContext& ctx) {
            const auto file = files.read("assets", ctx.pathParam("name"));
            if (!file)
                throw HttpError(404, "Not found");
            sendFile(ctx, *file);
        },
        open);
}

}  // namespace mailsift::http
