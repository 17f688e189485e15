#include "http/routes.h"

#include "http/api_keys.h"
#include "http/dashboard_handlers.h"
#include "http/integration_handlers.h"
#include "http/job_handlers.h"
#include "http/openapi_document.h"
#include "http/service_handlers.h"
#include "http/webhook_handlers.h"

namespace mailsift::http {

void registerRoutes(Router& router, const Services& services) {
    store::Store& store = services.store;
    router.setAuthenticator(
        [&store](std::string_view header) { return authenticate(store, header); });
    registerServiceRoutes(router, services.store, services.metrics);
    registerOpenApiRoute(router);
    registerValidateRoutes(router, services.validator, services.syncLimits, services.metrics);
    registerJobRoutes(router, services.jobs, services.jobUploads, &services.metrics);
    registerPluginRoutes(router, services.plugins);
    registerDashboardRoutes(router, services.webRoot);
    registerWebhookRoutes(router, services.store);
    if (services.integrations)
        registerIntegrationRoutes(router, *services.integrations);
}

}  // namespace mailsift::http
