#include "dns/dns_message.h"

#include <algorithm>
#include <cctype>

namespace mailsift::stages::dns {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr int kMaxPointerJumps = 64;
constexpr std::size_t kMaxNameLength = 255;
/// TTLs with the top bit set are treated as 0 (RFC 2181 section 8).
constexpr std::uint32_t kMaxTtl = 0x7fffffff;

}  // namespace

std::uint16_t DnsMessage::u16(std::size_t offset) const {
    return static_cast<std::uint16_t>(bytes_[offset] << 8 | bytes_[offset + 1]);
}

std::uint32_t DnsMessage::u32(std::size_t offset) const {
    return static_cast<std::uint32_t>(u16(offset)) << 16 | u16(offset + 2);
}

std::optional<std::string> DnsMessage::readName(std::size_t offset, std::size_t& next) const {
    std::string name;
    std::size_t wireLength = 1;
    int jumps = 0;
    bool jumped = false;
    while (true) {
        if (offset >= bytes_.size())
            return std::nullopt;
        const unsigned char length = bytes_[offset];
        if ((length & 0xc0) == 0xc0) {
            if (offset + 1 >= bytes_.size() || ++jumps > kMaxPointerJumps)
                return std::nullopt;
            if (!jumped)
                next = offset + 2;
            jumped = true;
            const std::size_t target =
                static_cast<std::size_t>((length & 0x3f) << 8 | bytes_[offset + 1]);
            if (target >= offset)
                return std::nullopt;  // pointers only point backwards, which also rules out loops
            offset = target;
            continue;
        }
        if ((length & 0xc0) != 0)
            return std::nullopt;  // reserved label types
        if (length == 0) {
            if (!jumped)
                next = offset + 1;
            return name;
        }
        if (offset + 1 + length > bytes_.size())
            return std::nullopt;
        wireLength += length + 1U;
        if (wireLength > kMaxNameLength)
            return std::nullopt;
        if (!name.empty())
            name.push_back('.');
        for (std::size_t i = 0; i < length; ++i)
            name.push_back(static_cast<char>(
                std::tolower(static_cast<unsigned char>(bytes_[offset + 1 + i]))));
        offset += 1U + length;
    }
}

bool DnsMessage::readRecords(std::size_t count, std::size_t& offset,
                             std::vector<DnsRecord>& out) const {
    for (std::size_t i = 0; i < count; ++i) {
        DnsRecord record;
        std::size_t next = offset;
        std::optional<std::string> name = readName(offset, next);
        if (!name || next + 10 > bytes_.size())
            return false;
        record.name = std::move(*name);
        record.type = u16(next);
        record.rclass = u16(next + 2);
        const std::uint32_t ttl = u32(next + 4);
        record.ttl = ttl > kMaxTtl ? 0 : ttl;
        record.rdataLength = u16(next + 8);
        record.rdataOffset = next + 10;
        if (record.rdataOffset + record.rdataLength > bytes_.size())
            return false;
        offset = record.rdataOffset + record.rdataLength;
        out.push_back(std::move(record));
    }
    return true;
}

std::optional<DnsMessage> DnsMessage::parse(const unsigned char* data, std::size_t size) {
    if (data == nullptr || size < kHeaderSize)
        return std::nullopt;
    DnsMessage message;
    message.bytes_.assign(data, data + size);
    message.id_ = message.u16(0);
    const std::uint16_t flags = message.u16(2);
    message.truncated_ = (flags & 0x0200) != 0;
    message.rcode_ = static_cast<std::uint8_t>(flags & 0x000f);
    const std::size_t questions = message.u16(4);
    const std::size_t answers = message.u16(6);
    const std::size_t authorities = message.u16(8);
    // Every question needs at least 5 bytes and every record 11: reject counts that cannot fit
    // before allocating anything for them.
    if (questions * 5 + (answers + authorities) * 11 > size - kHeaderSize)
        return std::nullopt;
    std::size_t offset = kHeaderSize;
    for (std::size_t i = 0; i < questions; ++i) {
        std::size_t next = offset;
        if (!message.readName(offset, next) || next + 4 > size)
            return std::nullopt;
        offset = next + 4;
    }
    if (!message.readRecords(answers, offset, message.answers_) ||
        !message.readRecords(authorities, offset, message.authorities_))
        return std::nullopt;
    return message;
}

std::optional<std::uint32_t> DnsMessage::minAnswerTtl(std::uint16_t type) const {
    std::optional<std::uint32_t> lowest;
    for (const DnsRecord& record : answers_) {
        if (record.type == type)
            lowest = lowest ? std::min(*lowest, record.ttl) : record.ttl;
    }
    return lowest;
}

std::optional<std::uint32_t> DnsMessage::negativeTtl() const {
    for (const DnsRecord& record : authorities_) {
        if (record.type != kTypeSoa)
            continue;
        std::size_t next = record.rdataOffset;
        std::size_t afterMname = next;
        if (!readName(record.rdataOffset, afterMname) || !readName(afterMname, next))
            return std::nullopt;
        const std::size_t end = record.rdataOffset + record.rdataLength;
        if (next + 20 > end)
            return std::nullopt;
        const std::uint32_t minimum = u32(next + 16);
        return std::min(record.ttl, minimum > kMaxTtl ? 0 : minimum);
    }
    return std::nullopt;
}

}  // namespace mailsift::stages::dns
