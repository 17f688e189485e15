#pragma once

#include "http/job_request.h"
#include "http/plugin_handlers.h"
#include "http/router.h"
#include "http/validate_handlers.h"
#include "integrations/integration_service.h"
#include "jobs/job_service.h"
#include "metrics/registry.h"
#include "store/store.h"

namespace mailsift::http {

/// What the route table needs from the rest of the server. All references must outlive the
/// Router (and the HttpServer using it).
struct Services {
    store::Store& store;
    jobs::JobService& jobs;
    metrics::Registry& metrics;
    PluginListProvider plugins;  ///< may be empty: GET /v1/plugins then lists nothing
    const engine::Validator& validator;
    SyncValidationLimits syncLimits;
    JobUploadOptions jobUploads{};  ///< upload limit and spool folder of POST .../job
    std::string webRoot{};          ///< folder of the dashboard files served at /; "" = none (404)
    integrations::IntegrationService* integrations = nullptr;  ///< null: no /v1/integrations
};

/// Builds the whole route table: service, validation, job, plugin and dashboard routes, and API-key
/// authentication against `services.store`. Call once, before the server starts.
void registerRoutes(Router& router, const Services& services);

}  // namespace mailsift::http
