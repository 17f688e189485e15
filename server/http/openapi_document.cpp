#include "http/openapi_document.h"

#include "http/router.h"

namespace mailsift::http {

void registerOpenApiRoute(Router& router) {
    router.add(
        "GET", "/v1/openapi.json",
        [](RequestContext& ctx) { ctx.sendText(200, "application/json", openApiDocument()); },
        RouteOptions{.requireAuth = false});
}

}  // namespace mailsift::http
