#include "probe/smtp_config.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>

#include <functional>
#include <limits>
#include <map>
#include <stdexcept>

namespace mailsift::stages::smtp {
namespace {

[[noreturn]] void fail(const std::string& key, const std::string& why) {
    throw std::invalid_argument("smtp." + key + ": " + why);
}

std::int64_t integer(const Poco::Dynamic::Var& value, const std::string& key, std::int64_t min,
                     std::int64_t max) {
    if (!value.isInteger())
        fail(key, "must be an integer");
    std::int64_t number = 0;
    try {
        number = value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
        fail(key, "must be an integer");
    }
    if (number < min || number > max)
        fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

bool boolean(const Poco::Dynamic::Var& value, const std::string& key) {
    if (!value.isBoolean())
        fail(key, "must be true or false");
    return value.extract<bool>();
}

std::string text(const Poco::Dynamic::Var& value, const std::string& key) {
    if (!value.isString())
        fail(key, "must be a string");
    return value.extract<std::string>();
}

/// SMTP command arguments must not smuggle line breaks or spaces into our commands.
bool safeToken(const std::string& value) {
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f || c == '<' || c == '>')
            return false;
    }
    return !value.empty();
}

bool isIpLiteral(const std::string& value) {
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, value.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, value.c_str(), buffer) == 1;
}

constexpr std::int64_t kHour = 3600000;

}  // namespace

SmtpConfig SmtpConfig::fromJson(std::string_view json) {
    Poco::JSON::Object::Ptr root;
    try {
        Poco::JSON::Parser parser;
        const Poco::Dynamic::Var parsed = parser.parse(std::string(json.empty() ? "{}" : json));
        root = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& e) {
        throw std::invalid_argument("smtp: config is not a JSON object: " + e.displayText());
    } catch (const std::exception&) {
        throw std::invalid_argument("smtp: config is not a JSON object");
    }
    if (root.isNull())
        throw std::invalid_argument("smtp: config is not a JSON object");

    SmtpConfig config;
    using Var = Poco::Dynamic::Var;
    using Ms = std::chrono::milliseconds;
    const std::map<std::string, std::function<void(const Var&, const std::string&)>> setters{
        {"port",
         [&](const Var& v, const std::string& k) {
             config.port = static_cast<std::uint16_t>(integer(v, k, 1, 65535));
         }},
        {"helo_name", [&](const Var& v, const std::string& k) { config.heloName = text(v, k); }},
        {"mail_from", [&](const Var& v, const std::string& k) { config.mailFrom = text(v, k); }},
        {"connect_timeout_ms",
         [&](const Var& v, const std::string& k) {
             config.connectTimeout = Ms(integer(v, k, 1, kHour));
         }},
        {"command_timeout_ms",
         [&](const Var& v, const std::string& k) {
             config.commandTimeout = Ms(integer(v, k, 1, kHour));
         }},
        {"banner_timeout_ms",
         [&](const Var& v, const std::string& k) {
             config.bannerTimeout = Ms(integer(v, k, 1, kHour));
         }},
        {"per_host_connections",
         [&](const Var& v, const std::string& k) {
             config.perHostConnections = static_cast<int>(integer(v, k, 1, 100));
         }},
        {"max_connections",
         [&](const Var& v, const std::string& k) {
             config.maxConnections = static_cast<int>(integer(v, k, 1, 10000));
         }},
        {"max_rcpt_per_transaction",
         [&](const Var& v, const std::string& k) {
             config.maxRcptPerTransaction = static_cast<int>(integer(v, k, 1, 1000));
         }},
        {"max_rcpt_per_session",
         [&](const Var& v, const std::string& k) {
             config.maxRcptPerSession = static_cast<int>(integer(v, k, 1, 100000));
         }},
        {"greylist_retry_ms",
         [&](const Var& v, const std::string& k) {
             config.greylistRetry = Ms(integer(v, k, 0, kHour));
         }},
        {"greylist_max_retries",
         [&](const Var& v, const std::string& k) {
             config.greylistMaxRetries = static_cast<int>(integer(v, k, 0, 100));
         }},
        {"catch_all_probe",
         [&](const Var& v, const std::string& k) { config.catchAllProbe = boolean(v, k); }},
        {"catch_all_ttl_s",
         [&](const Var& v, const std::string& k) {
             config.catchAllTtl = std::chrono::seconds(integer(v, k, 0, 365LL * 86400));
         }},
        {"starttls", [&](const Var& v, const std::string& k) { config.starttls = boolean(v, k); }},
        {"pipelining",
         [&](const Var& v, const std::string& k) { config.pipelining = boolean(v, k); }},
        {"backoff_initial_ms",
         [&](const Var& v, const std::string& k) {
             config.backoffInitial = Ms(integer(v, k, 1, kHour));
         }},
        {"backoff_max_ms",
         [&](const Var& v, const std::string& k) {
             config.backoffMax = Ms(integer(v, k, 1, 24 * kHour));
         }},
        {"bind_address",
         [&](const Var& v, const std::string& k) { config.bindAddress = text(v, k); }},
    };
    for (const std::string& key : root->getNames()) {
        const auto setter = setters.find(key);
        if (setter == setters.end())
            throw std::invalid_argument("smtp: unknown config key '" + key + "'");
        setter->second(root->get(key), key);
    }

    if (config.heloName.empty())
        throw std::invalid_argument("smtp.helo_name: set helo_name to a host name you own");
    if (!safeToken(config.heloName))
        fail("helo_name", "must be a host name without spaces or control characters");
    if (config.mailFrom.empty())
        config.mailFrom = "verify@" + config.heloName;
    if (!safeToken(config.mailFrom) || config.mailFrom.find('@') == std::string::npos)
        fail("mail_from", "must be an address like verify@" + config.heloName);
    if (!config.bindAddress.empty() && !isIpLiteral(config.bindAddress))
        fail("bind_address", "must be an IPv4 or IPv6 address");
    if (config.backoffMax < config.backoffInitial)
        fail("backoff_max_ms", "must not be less than backoff_initial_ms");
    if (config.maxRcptPerSession < config.maxRcptPerTransaction)
        config.maxRcptPerTransaction = config.maxRcptPerSession;
    return config;
}

}  // namespace mailsift::stages::smtp
