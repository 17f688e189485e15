#pragma once

#include <Poco/JSON/Object.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "integrations/credential_cipher.h"
#include "integrations/integration_error.h"
#include "integrations/integration_systems.h"
#include "store/store.h"

namespace mailsift::integrations {

/// What a client may see of an integration: never the credentials, only a masked hint.
struct IntegrationView {
    store::IntegrationRecord record;  ///< sealedCredentials cleared
    std::string credentialsHint;      ///< e.g. "****a1b2"; "" when the key cannot open them
};

/// An integration with its credentials opened, for the connector that imports from it.
struct OpenedIntegration {
    store::IntegrationRecord record;
    const SystemSpec* spec = nullptr;
    std::string credentialsJson;
};

/// The /v1/integrations use cases and the opening of credentials for jobs. Credentials are
/// sealed with AES-256-GCM under the server's secret key, bound to the owning account; without a
/// key every call answers IntegrationError unavailable with a sentence saying how to set one.
/// Thread-safe.
class IntegrationService {
  public:
    /// `key` is nullopt when the operator has configured none.
    IntegrationService(store::Store& store, std::optional<CredentialCipher::Key> key);

    bool enabled() const { return cipher_ != nullptr; }

    /// Checks and stores a new integration from the JSON body of POST /v1/integrations.
    IntegrationView create(store::Id accountId, const Poco::JSON::Object& body);
    std::vector<IntegrationView> list(store::Id accountId);
    IntegrationView get(store::Id accountId, store::Id integrationId);
    void remove(store::Id accountId, store::Id integrationId);

    /// The integration with its credentials in clear; IntegrationError notFound when it is not
    /// the account's, unavailable when there is no key or the key cannot open them.
    OpenedIntegration open(store::Id accountId, store::Id integrationId);

  private:
    void requireKey() const;
    IntegrationView view(store::IntegrationRecord record) const;

    store::Store& store_;
    std::unique_ptr<CredentialCipher> cipher_;
};

/// The associated data that binds sealed credentials to their account.
std::string credentialsAad(store::Id accountId);

}  // namespace mailsift::integrations
