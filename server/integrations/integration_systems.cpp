#include "integrations/integration_systems.h"

namespace mailsift::integrations {
namespace {

constexpr std::size_t kMaxCredentialBytes = 4096;

const std::vector<SystemSpec>& specs() {
    static const std::vector<SystemSpec> all{
        {"hubspot",
         "mailsift.connector.hubspot",
         {"accessToken"},
         "accessToken",
         {"listId", "writeBack"},
         false},
        {"mailjet",
         "mailsift.connector.mailjet",
         {"apiKey", "apiSecret"},
         "apiKey",
         {"listId", "writeBack"},
         false},
        {"mailchimp",
         "mailsift.connector.mailchimp",
         {"apiKey"},
         "apiKey",
         {"listId", "writeBack"},
         true},
    };
    return all;
}

bool isMailchimpKey(const std::string& key) {
    const auto dash = key.rfind('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 >= key.size())
        return false;
    for (std::size_t i = dash + 1; i < key.size(); ++i) {
        const char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

}  // namespace

const SystemSpec* findSystem(std::string_view system) {
    for (const auto& spec : specs()) {
        if (spec.system == system)
            return &spec;
    }
    return nullptr;
}

std::string systemNames() {
    return "hubspot, mailjet or mailchimp";
}

std::string checkCredentials(const SystemSpec& spec, const Poco::JSON::Object& credentials) {
    for (std::string_view field : spec.credentials) {
        const std::string name(field);
        const Poco::Dynamic::Var value = credentials.get(name);
        if (value.isEmpty() || !value.isString() || value.extract<std::string>().empty()) {
            return "credentials." + name + " is missing: " + std::string(spec.system) +
                   " needs a non-empty string there.";
        }
        if (value.extract<std::string>().size() > kMaxCredentialBytes)
            return "credentials." + name + " is longer than 4096 characters.";
    }
    for (const auto& [name, value] : credentials) {
        bool known = false;
        for (std::string_view field : spec.credentials)
            known = known || field == name;
        if (!known) {
            return "credentials." + name + " is not a credential of " + std::string(spec.system) +
                   "; remove it.";
        }
    }
    if (spec.system == "mailchimp" &&
        !isMailchimpKey(credentials.getValue<std::string>("apiKey"))) {
        return "credentials.apiKey does not end in its data centre (like -us21): copy the whole "
               "key from Mailchimp's Account > Extras > API keys.";
    }
    return "";
}

std::string checkOptions(const SystemSpec& spec, const Poco::JSON::Object& options) {
    for (const auto& [name, value] : options) {
        bool known = false;
        for (std::string_view option : spec.options)
            known = known || option == name;
        if (!known) {
            std::string accepted;
            for (std::string_view option : spec.options)
                accepted += (accepted.empty() ? "" : ", ") + std::string(option);
            return "options." + name + " is not an option of " + std::string(spec.system) +
                   " (accepted: " + accepted + ").";
        }
        if (name == "writeBack" && !value.isBoolean())
            return "options.writeBack must be true or false.";
        if (name == "listId") {
            const bool ok = (value.isString() && !value.extract<std::string>().empty() &&
                             value.extract<std::string>().size() <= 128) ||
                            (value.isInteger() && value.convert<long long>() > 0);
            if (!ok)
                return "options.listId must be the id of a list (a string or a positive number).";
        }
    }
    if (spec.listRequired && !options.has("listId")) {
        return "options.listId is missing: " + std::string(spec.system) +
               " imports the members of one audience; give its id.";
    }
    return "";
}

}  // namespace mailsift::integrations
