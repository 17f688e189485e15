#include "integrations/integration_service.h"

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <chrono>
#include <sstream>

namespace mailsift::integrations {
namespace {

const std::string kNotFound = "Integration not found";
constexpr std::size_t kMaxNameBytes = 255;

std::string stringify(const Poco::JSON::Object& object) {
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Poco::JSON::Object::Ptr objectField(const Poco::JSON::Object& body, const std::string& name,
                                    bool required) {
    if (!body.has(name) || body.get(name).isEmpty()) {
        if (required) {
            throw IntegrationError(IntegrationError::Kind::badRequest,
                                   name + " is missing: send it as a JSON object.");
        }
        return new Poco::JSON::Object;
    }
    Poco::JSON::Object::Ptr object = body.getObject(name);
    if (!object) {
        throw IntegrationError(IntegrationError::Kind::badRequest,
                               name + " must be a JSON object.");
    }
    return object;
}

std::string stringField(const Poco::JSON::Object& body, const std::string& name) {
    const Poco::Dynamic::Var value = body.get(name);
    if (value.isEmpty() || !value.isString()) {
        throw IntegrationError(IntegrationError::Kind::badRequest,
                               name + " is missing: send it as a string.");
    }
    return value.extract<std::string>();
}

std::string maskedTail(const std::string& secret) {
    if (secret.size() < 12)
        return "****";
    return "****" + secret.substr(secret.size() - 4);
}

}  // namespace

std::string credentialsAad(store::Id accountId) {
    return "mailsift.integration.account:" + std::to_string(accountId);
}

IntegrationService::IntegrationService(store::Store& store,
                                       std::optional<CredentialCipher::Key> key)
    : store_(store) {
    if (key)
        cipher_ = std::make_unique<CredentialCipher>(*key);
}

void IntegrationService::requireKey() const {
    if (!cipher_) {
        throw IntegrationError(
            IntegrationError::Kind::unavailable,
            "Integrations are off because the server has no secret key to encrypt credentials "
            "with: its operator can set MAILSIFT_SECRET_KEY to 32 random bytes in hex (openssl "
            "rand -hex 32) or name a key file in integrations.secret_key_file, then restart.");
    }
}

IntegrationView IntegrationService::create(store::Id accountId, const Poco::JSON::Object& body) {
    requireKey();
    for (const auto& [name, value] : body) {
        if (name != "system" && name != "name" && name != "credentials" && name != "options") {
            throw IntegrationError(IntegrationError::Kind::badRequest,
                                   name +
                                       " is not a field of an integration (system, name, "
                                       "credentials, options).");
        }
    }
    const std::string system = stringField(body, "system");
    const SystemSpec* spec = findSystem(system);
    if (!spec) {
        throw IntegrationError(IntegrationError::Kind::badRequest,
                               "system must be " + systemNames() + ".");
    }
    std::string name = body.has("name") ? stringField(body, "name") : system;
    if (name.empty() || name.size() > kMaxNameBytes) {
        throw IntegrationError(IntegrationError::Kind::badRequest,
                               "name must have 1 to 255 characters.");
    }
    const Poco::JSON::Object::Ptr credentials = objectField(body, "credentials", true);
    const Poco::JSON::Object::Ptr options = objectField(body, "options", false);
    if (std::string problem = checkCredentials(*spec, *credentials); !problem.empty())
        throw IntegrationError(IntegrationError::Kind::badRequest, problem);
    if (std::string problem = checkOptions(*spec, *options); !problem.empty())
        throw IntegrationError(IntegrationError::Kind::badRequest, problem);

    store::IntegrationRecord record;
    record.accountId = accountId;
    record.system = system;
    record.name = name;
    record.optionsJson = stringify(*options);
    record.sealedCredentials = cipher_->seal(stringify(*credentials), credentialsAad(accountId));
    try {
        return view(store_.createIntegration(record, std::chrono::system_clock::now()));
    } catch (const store::StoreConflict&) {
        throw IntegrationError(IntegrationError::Kind::conflict,
                               "You have an integration named \"" + name +
                                   "\" already; choose another name or delete that one.");
    }
}

std::vector<IntegrationView> IntegrationService::list(store::Id accountId) {
    requireKey();
    std::vector<IntegrationView> out;
    for (auto& record : store_.listIntegrations(accountId))
        out.push_back(view(std::move(record)));
    return out;
}

IntegrationView IntegrationService::get(store::Id accountId, store::Id integrationId) {
    requireKey();
    auto record = store_.findIntegration(accountId, integrationId);
    if (!record)
        throw IntegrationError(IntegrationError::Kind::notFound, kNotFound);
    return view(std::move(*record));
}

void IntegrationService::remove(store::Id accountId, store::Id integrationId) {
    requireKey();
    if (!store_.deleteIntegration(accountId, integrationId))
        throw IntegrationError(IntegrationError::Kind::notFound, kNotFound);
}

OpenedIntegration IntegrationService::open(store::Id accountId, store::Id integrationId) {
    requireKey();
    auto record = store_.findIntegration(accountId, integrationId);
    if (!record)
        throw IntegrationError(IntegrationError::Kind::notFound, kNotFound);
    OpenedIntegration opened;
    opened.spec = findSystem(record->system);
    if (!opened.spec) {
        throw IntegrationError(IntegrationError::Kind::badRequest,
                               "Integration " + std::to_string(integrationId) + " is for " +
                                   record->system + ", which this server cannot import from.");
    }
    try {
        opened.credentialsJson =
            cipher_->open(record->sealedCredentials, credentialsAad(accountId));
    } catch (const CipherError&) {
        throw IntegrationError(IntegrationError::Kind::unavailable,
                               "The credentials of integration " + std::to_string(integrationId) +
                                   " cannot be opened with the server's current secret key; "
                                   "create the integration again.");
    }
    record->sealedCredentials.clear();
    opened.record = std::move(*record);
    return opened;
}

IntegrationView IntegrationService::view(store::IntegrationRecord record) const {
    IntegrationView out;
    const SystemSpec* spec = findSystem(record.system);
    try {
        const std::string plain =
            cipher_->open(record.sealedCredentials, credentialsAad(record.accountId));
        Poco::JSON::Object::Ptr credentials =
            Poco::JSON::Parser().parse(plain).extract<Poco::JSON::Object::Ptr>();
        if (spec && credentials)
            out.credentialsHint =
                maskedTail(credentials->optValue<std::string>(std::string(spec->hintField), ""));
    } catch (const std::exception&) {
        out.credentialsHint = "";  // sealed under another key: the view still lists it
    }
    record.sealedCredentials.clear();
    out.record = std::move(record);
    return out;
}

}  // namespace mailsift::integrations
