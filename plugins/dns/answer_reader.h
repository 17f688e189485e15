#pragma once
// Internal to the dns stage: what Resolution takes from one c-ares answer buffer. Pure functions
// over bytes from the network, kept apart from the channel so that the fuzzer can call them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailsift::stages::dns {

/// An MX answer as the stage reads it.
struct MxAnswer {
    enum class Kind {
        exchangers,   ///< `hosts` holds the exchangers (empty when only a null MX was given)
        noMxRecords,  ///< a well-formed answer without MX records (a lone CNAME, say)
        malformed,    ///< bytes that are not a DNS reply, or MX records c-ares refuses
    };
    struct Host {
        std::string name;  ///< lower case, no trailing dot, never empty
        std::uint16_t preference = 0;
    };
    Kind kind = Kind::malformed;
    std::vector<Host> hosts;  ///< unique names in wire order, each with its lowest preference
    std::uint32_t ttl = 0;    ///< the smallest MX TTL (0 when there is none)
};

/// Reads the MX records of a successful answer. The null MX root (RFC 7505) is dropped, so an
/// `exchangers` answer with no hosts means "no mail here".
MxAnswer readMxAnswer(const unsigned char* abuf, int alen);

/// An A or AAAA answer as the stage reads it.
struct AddressAnswer {
    bool ok = false;                     ///< false: bytes c-ares or DnsMessage refuse
    std::vector<std::string> addresses;  ///< textual, unique, at most 64
    std::optional<std::uint32_t> ttl;    ///< the smallest TTL among them
};

/// Reads a successful A (`type` 1) or AAAA (`type` 28) answer; other types are not ok.
AddressAnswer readAddressAnswer(int type, const unsigned char* abuf, int alen);

/// The negative-caching TTL (RFC 2308) of an NXDOMAIN or NODATA answer; nullopt without a usable
/// SOA or for bytes that are not a DNS reply.
std::optional<std::uint32_t> readNegativeTtl(const unsigned char* abuf, int alen);

}  // namespace mailsift::stages::dns
