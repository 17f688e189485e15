#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mailsift::stages::dns {

/// One resource record of a reply; `rdataOffset` indexes the message the record came from.
struct DnsRecord {
    std::string name;  ///< owner, lower case, no trailing dot
    std::uint16_t type = 0;
    std::uint16_t rclass = 0;
    std::uint32_t ttl = 0;
    std::size_t rdataOffset = 0;
    std::uint16_t rdataLength = 0;
};

/// A bounds-checked reader of DNS replies (RFC 1035 section 4). The bytes come from the network,
/// so parse() never reads past the end, follows at most a bounded number of compression pointers
/// and rejects anything inconsistent by returning nullopt. It keeps a copy of the bytes.
class DnsMessage {
  public:
    static constexpr std::uint16_t kTypeA = 1;
    static constexpr std::uint16_t kTypeCname = 5;
    static constexpr std::uint16_t kTypeSoa = 6;
    static constexpr std::uint16_t kTypeMx = 15;
    static constexpr std::uint16_t kTypeAaaa = 28;

    static std::optional<DnsMessage> parse(const unsigned char* data, std::size_t size);

    std::uint16_t id() const { return id_; }
    std::uint8_t rcode() const { return rcode_; }
    bool truncated() const { return truncated_; }
    const std::vector<DnsRecord>& answers() const { return answers_; }
    const std::vector<DnsRecord>& authorities() const { return authorities_; }

    /// The smallest TTL among answer records of `type`; nullopt when there is none.
    std::optional<std::uint32_t> minAnswerTtl(std::uint16_t type) const;
    /// The negative-caching TTL of RFC 2308 section 5: min(SOA TTL, SOA MINIMUM) of the first SOA
    /// in the authority section; nullopt when there is none or it is malformed.
    std::optional<std::uint32_t> negativeTtl() const;

  private:
    DnsMessage() = default;
    /// Reads a possibly compressed name at `offset`; `next` is where the name ends in place.
    std::optional<std::string> readName(std::size_t offset, std::size_t& next) const;
    bool readRecords(std::size_t count, std::size_t& offset, std::vector<DnsRecord>& out) const;
    std::uint16_t u16(std::size_t offset) const;
    std::uint32_t u32(std::size_t offset) const;

    std::vector<unsigned char> bytes_;
    std::uint16_t id_ = 0;
    std::uint8_t rcode_ = 0;
    bool truncated_ = false;
    std::vector<DnsRecord> answers_;
    std::vector<DnsRecord> authorities_;
};

}  // namespace mailsift::stages::dns
