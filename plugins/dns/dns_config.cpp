#include "dns/dns_config.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <stdexcept>

namespace mailsift::stages::dns {
namespace {

constexpr std::string_view kPlugin = "mailsift.stage.dns";

std::invalid_argument bad(const std::string& key, const std::string& why) {
    return std::invalid_argument(std::string(kPlugin) + ": config key " + key + " " + why);
}

std::int64_t integer(const Poco::JSON::Object& object, const std::string& key, std::int64_t min,
                     std::int64_t max, std::int64_t fallback) {
    if (!object.has(key))
        return fallback;
    const Poco::Dynamic::Var value = object.get(key);
    if (!value.isInteger())
        throw bad(key, "must be an integer");
    std::int64_t number = 0;
    try {
        number = value.convert<std::int64_t>();
    } catch (const Poco::Exception&) {
        throw bad(key, "must be an integer");
    }
    if (number < min || number > max)
        throw bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                           ", not " + std::to_string(number));
    return number;
}

}  // namespace

DnsConfig DnsConfig::parse(std::string_view json) {
    Poco::JSON::Object::Ptr object;
    try {
        const Poco::Dynamic::Var parsed =
            Poco::JSON::Parser().parse(json.empty() ? std::string("{}") : std::string(json));
        if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
            throw std::invalid_argument(std::string(kPlugin) + ": config must be a JSON object");
        object = parsed.extract<Poco::JSON::Object::Ptr>();
    } catch (const Poco::Exception& error) {
        throw std::invalid_argument(std::string(kPlugin) +
                                    ": config is not valid JSON: " + error.displayText());
    }
    static const char* const kKeys[] = {"servers",       "timeout_ms",   "tries",   "ipv6",
                                        "cache_entries", "min_ttl",      "max_ttl", "negative_ttl",
                                        "failure_ttl",   "max_in_flight"};
    for (const std::string& key : object->getNames()) {
        bool known = false;
        for (const char* name : kKeys)
            known = known || key == name;
        if (!known)
            throw std::invalid_argument(std::string(kPlugin) + ": unknown config key " + key);
    }

    DnsConfig config;
    if (object->has("servers")) {
        const Poco::JSON::Array::Ptr list = object->getArray("servers");
        if (!list)
            throw bad("servers", "must be a list of \"host:port\" strings");
        for (std::size_t i = 0; i < list->size(); ++i) {
            const Poco::Dynamic::Var entry = list->get(static_cast<unsigned>(i));
            if (!entry.isString() || entry.toString().empty())
                throw bad("servers", "must be a list of \"host:port\" strings");
            config.servers.push_back(entry.toString());
        }
    }
    config.timeout = std::chrono::milliseconds(integer(*object, "timeout_ms", 1, 600000, 2000));
    config.tries = static_cast<int>(integer(*object, "tries", 1, 10, 2));
    if (object->has("ipv6")) {
        const Poco::Dynamic::Var value = object->get("ipv6");
        if (!value.isBoolean())
            throw bad("ipv6", "must be true or false");
        config.ipv6 = value.convert<bool>();
    }
    constexpr std::int64_t kWeek = 7 * 86400;
    config.cacheEntries =
        static_cast<std::size_t>(integer(*object, "cache_entries", 0, 100000000, 100000));
    config.minTtl = std::chrono::seconds(integer(*object, "min_ttl", 0, kWeek, 5));
    config.maxTtl = std::chrono::seconds(integer(*object, "max_ttl", 0, kWeek, 86400));
    config.negativeTtl = std::chrono::seconds(integer(*object, "negative_ttl", 0, kWeek, 300));
    config.failureTtl = std::chrono::seconds(integer(*object, "failure_ttl", 0, kWeek, 30));
    config.maxInFlight =
        static_cast<std::size_t>(integer(*object, "max_in_flight", 1, 100000, 1000));
    if (config.minTtl > config.maxTtl)
        throw bad("min_ttl", "must not exceed max_ttl");
    return config;
}

}  // namespace mailsift::stages::dns
