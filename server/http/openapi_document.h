#pragma once

#include <string_view>

#include "http/router.h"

namespace mailsift::http {

/// The OpenAPI 3.1 document of the API (api/openapi.json in the repository, compiled in), exactly
/// as GET /v1/openapi.json serves it.
std::string_view openApiDocument();

/// Registers GET /v1/openapi.json, open to anyone (no key): tools generate clients from it.
void registerOpenApiRoute(Router& router);

}  // namespace mailsift::http
