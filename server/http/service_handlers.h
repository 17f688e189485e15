#pragma once

#include "http/router.h"
#include "metrics/registry.h"
#include "store/store.h"

namespace mailsift::http {

/// Registers the routes without auth: GET /healthz (200 {"status":"ok"}), GET /readyz (200
/// {"status":"ready"} when store.ping() succeeds, else 503 with the reason, credentials removed)
/// and GET /metrics (the registry in Prometheus text format 0.0.4). `store` and `metrics` must
/// outlive the router.
void registerServiceRoutes(Router& router, store::Store& store, metrics::Registry& metrics);

}  // namespace mailsift::http
