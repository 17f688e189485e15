#pragma once

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
#include <vector>

namespace mailsift::integrations {

/// What one outside system needs: the connector plugin that speaks its API, the credential
/// fields (all strings, all required) and the options it accepts.
struct SystemSpec {
    std::string_view system;                    ///< hubspot, mailjet, mailchimp
    std::string_view plugin;                    ///< e.g. mailsift.connector.hubspot
    std::vector<std::string_view> credentials;  ///< required string fields
    std::string_view hintField;                 ///< the credential whose tail the hint shows
    std::vector<std::string_view> options;      ///< accepted option keys
    bool listRequired = false;                  ///< options.listId must be given
};

/// The spec of `system`; nullptr when mailsift has no connector for it.
const SystemSpec* findSystem(std::string_view system);
/// "hubspot, mailjet or mailchimp", for sentences.
std::string systemNames();

/// Checks `credentials` against the spec; returns the sentence of the first problem, "" when fine.
std::string checkCredentials(const SystemSpec& spec, const Poco::JSON::Object& credentials);
/// Checks `options` (listId: string or number, writeBack: boolean, other documented keys).
std::string checkOptions(const SystemSpec& spec, const Poco::JSON::Object& options);

}  // namespace mailsift::integrations
