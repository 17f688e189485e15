#include "http/service_handlers.h"

#include <Poco/JSON/Object.h>

#include <string>

#include "http/redaction.h"
#include "metrics/text_format.h"

namespace mailsift::http {

void registerServiceRoutes(Router& router, store::Store& store, metrics::Registry& metrics) {
    const RouteOptions open{.requireAuth = false};

    router.add(
        "GET", "/healthz",
        [](RequestContext& ctx) {
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("status", "ok");
            ctx.sendJson(200, body);
        },
        open);

    router.add(
        "GET", "/readyz",
        [&store](RequestContext& ctx) {
            try {
                store.ping();
            } catch (const std::exception& e) {
                std::string reason = redactCredentials(e.what());
                if (!reason.empty() && reason.back() == '.') {
                    reason.pop_back();
                }
                ctx.sendError(503, "The store is not reachable: " + reason +
                                       ". Check the store settings and that the database is up.");
                return;
            }
            Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
            body->set("status", "ready");
            ctx.sendJson(200, body);
        },
        open);

    router.add(
        "GET", "/metrics",
        [&metrics](RequestContext& ctx) {
            ctx.sendText(200, metrics::text_format::kContentType, metrics.render());
        },
        open);
}

}  // namespace mailsift::http
