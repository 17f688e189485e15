#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fakes/dns/fake_dns_zone.h"

namespace mailsift::fakes {

/// The first question of a DNS query, as the fake understood it.
struct DnsQuestion {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;
    std::string name;  ///< lower case, no trailing dot ("" for the root)
    std::uint16_t type = 0;
    std::uint16_t qclass = 0;
    std::vector<std::uint8_t> rawQuestion;  ///< QNAME, QTYPE and QCLASS as received
};

/// Reads a query; returns nullopt for anything that is not a well-formed query with a question.
/// Never reads past `size`.
std::optional<DnsQuestion> parseDnsQuery(const std::uint8_t* data, std::size_t size);

/// Encodes the reply to `question` from what the zone says. `udp` selects truncation (TC with no
/// answers) when the zone asks for it. Behaviour::drop yields an empty vector.
std::vector<std::uint8_t> buildDnsResponse(const DnsQuestion& question, const ZoneAnswer& answer,
                                           bool udp);

}  // namespace mailsift::fakes
