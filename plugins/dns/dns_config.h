#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::stages::dns {

/// The typed config of the dns stage (its JSON block of the YAML `plugins:` list).
struct DnsConfig {
    /// "host:port" (or "[v6]:port") of the resolvers to ask; empty = /etc/resolv.conf.
    std::vector<std::string> servers;
    std::chrono::milliseconds timeout{2000};  ///< per try, before c-ares moves on
    int tries = 2;                            ///< attempts per query (per server)
    bool ipv6 = false;                        ///< also resolve AAAA of mail exchangers
    std::size_t cacheEntries = 100000;        ///< domains the cache holds; 0 disables it
    std::chrono::seconds minTtl{5};           ///< record TTLs are clamped to [minTtl, maxTtl]
    std::chrono::seconds maxTtl{86400};
    std::chrono::seconds negativeTtl{300};  ///< NXDOMAIN / NODATA; capped further by the SOA
    std::chrono::seconds failureTtl{30};    ///< SERVFAIL / timeout; 0 = never cached
    std::size_t maxInFlight = 1000;         ///< concurrent queries per run

    /// Parses the JSON object; throws std::invalid_argument naming the key for an unknown key, a
    /// wrong type or a value out of range. "" means "{}".
    static DnsConfig parse(std::string_view json);
};

}  // namespace mailsift::stages::dns
