#pragma once

#include "http/router.h"
#include "integrations/integration_service.h"

namespace mailsift::http {

/// Registers the integration routes (auth required, scoped to the caller's account):
/// POST   /v1/integrations       {"system","name","credentials","options"} -> 201 integration
/// GET    /v1/integrations       the account's integrations, oldest first
/// GET    /v1/integrations/{id}  one integration; 404 {"error":"Integration not found"}
/// DELETE /v1/integrations/{id}  200 {}
/// An integration shows id, system, name, options, credentialsHint, createdAt, updatedAt; its
/// credentials never appear. Without a secret key every route answers 503 with how to set one.
/// `integrations` must outlive the router.
void registerIntegrationRoutes(Router& router, integrations::IntegrationService& integrations);

}  // namespace mailsift::http
