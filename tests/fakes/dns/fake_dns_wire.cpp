#include "fakes/dns/fake_dns_wire.h"

#include <algorithm>
#include <cctype>

namespace mailsift::fakes {
namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr std::uint8_t kRcodeServfail = 2;
constexpr std::uint8_t kRcodeNxdomain = 3;
constexpr std::uint8_t kRcodeRefused = 5;

class Writer {
  public:
    void u8(std::uint8_t value) { bytes_.push_back(value); }
    void u16(std::uint16_t value) {
        u8(static_cast<std::uint8_t>(value >> 8));
        u8(static_cast<std::uint8_t>(value & 0xff));
    }
    void u32(std::uint32_t value) {
        u16(static_cast<std::uint16_t>(value >> 16));
        u16(static_cast<std::uint16_t>(value & 0xffff));
    }
    void raw(const std::vector<std::uint8_t>& data) {
        bytes_.insert(bytes_.end(), data.begin(), data.end());
    }
    /// Uncompressed labels; "" is the root.
    void name(const std::string& dotted) {
        std::size_t start = 0;
        while (start < dotted.size()) {
            std::size_t end = dotted.find('.', start);
            if (end == std::string::npos)
                end = dotted.size();
            const std::size_t length = std::min<std::size_t>(end - start, 63);
            u8(static_cast<std::uint8_t>(length));
            bytes_.insert(bytes_.end(), dotted.begin() + static_cast<std::ptrdiff_t>(start),
                          dotted.begin() + static_cast<std::ptrdiff_t>(start + length));
            start = end + 1;
        }
        u8(0);
    }
    /// Writes a 16-bit length at `offset` (filled in after the data was written).
    void patch16(std::size_t offset, std::uint16_t value) {
        bytes_[offset] = static_cast<std::uint8_t>(value >> 8);
        bytes_[offset + 1] = static_cast<std::uint8_t>(value & 0xff);
    }
    std::size_t size() const { return bytes_.size(); }
    std::vector<std::uint8_t> take() { return std::move(bytes_); }

  private:
    std::vector<std::uint8_t> bytes_;
};

void header(Writer& out, const DnsQuestion& question, std::uint16_t id, bool truncated,
            std::uint8_t rcode, std::uint16_t answers, std::uint16_t authorities) {
    out.u16(id);
    const std::uint16_t opcode = question.flags & 0x7800;
    const std::uint16_t rd = question.flags & 0x0100;
    std::uint16_t flags =
        static_cast<std::uint16_t>(0x8000 | opcode | 0x0400 | rd | 0x0080 | rcode);
    if (truncated)
        flags |= 0x0200;
    out.u16(flags);
    out.u16(1);
    out.u16(answers);
    out.u16(authorities);
    out.u16(0);
    out.raw(question.rawQuestion);
}

void record(Writer& out, const FakeRecord& rec) {
    out.u16(0xc00c);  // the owner is the question name
    out.u16(static_cast<std::uint16_t>(rec.type));
    out.u16(1);
    out.u32(rec.ttl);
    const std::size_t lengthAt = out.size();
    out.u16(0);
    if (rec.type == RecordType::mx) {
        out.u16(rec.preference);
        out.name(rec.target);
    } else {
        out.raw(rec.address);
    }
    out.patch16(lengthAt, static_cast<std::uint16_t>(out.size() - lengthAt - 2));
}

void soa(Writer& out, std::uint32_t negativeTtl) {
    out.u16(0xc00c);
    out.u16(static_cast<std::uint16_t>(RecordType::soa));
    out.u16(1);
    out.u32(negativeTtl);
    const std::size_t lengthAt = out.size();
    out.u16(0);
    out.name("ns.fake");
    out.name("hostmaster.fake");
    out.u32(1);      // serial
    out.u32(3600);   // refresh
    out.u32(600);    // retry
    out.u32(86400);  // expire
    out.u32(negativeTtl);
    out.patch16(lengthAt, static_cast<std::uint16_t>(out.size() - lengthAt - 2));
}

std::vector<std::uint8_t> malformedReply(const DnsQuestion& question, Malformation kind) {
    Writer out;
    switch (kind) {
        case Malformation::garbage: {
            out.u16(question.id);
            std::uint32_t state = 0x9e3779b9U ^ question.id;
            for (int i = 0; i < 60; ++i) {
                state = state * 1664525U + 1013904223U;
                out.u8(static_cast<std::uint8_t>(state >> 24));
            }
            break;
        }
        case Malformation::shortReply:
            out.u16(question.id);
            out.u8(0x81);
            break;
        case Malformation::overrun:
            header(out, question, question.id, false, 0, 1, 0);
            out.u16(0xc00c);
            out.u16(question.type);
            out.u16(1);
            out.u32(300);
            out.u16(500);  // RDLENGTH far beyond the message
            out.u16(10);
            break;
        case Malformation::loop: {
            header(out, question, question.id, false, 0, 1, 0);
            const std::size_t self = out.size();
            out.u16(static_cast<std::uint16_t>(0xc000 | self));  // points at itself
            out.u16(question.type);
            out.u16(1);
            out.u32(300);
            out.u16(3);
            out.u16(10);
            out.u16(static_cast<std::uint16_t>(0xc000 | self));
            break;
        }
        case Malformation::wrongId:
        case Malformation::none:
            break;
    }
    return out.take();
}

}  // namespace

std::optional<DnsQuestion> parseDnsQuery(const std::uint8_t* data, std::size_t size) {
    if (data == nullptr || size < kHeaderSize)
        return std::nullopt;
    DnsQuestion question;
    question.id = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
    question.flags = static_cast<std::uint16_t>(data[2] << 8 | data[3]);
    const unsigned qdcount = static_cast<unsigned>(data[4] << 8 | data[5]);
    if ((question.flags & 0x8000) != 0 || qdcount == 0)
        return std::nullopt;
    std::size_t pos = kHeaderSize;
    std::size_t nameLength = 0;
    while (true) {
        if (pos >= size)
            return std::nullopt;
        const std::uint8_t length = data[pos++];
        if (length == 0)
            break;
        if (length > 63 || pos + length > size)
            return std::nullopt;  // compression or overrun: not in a query
        nameLength += length + 1U;
        if (nameLength > 255)
            return std::nullopt;
        if (!question.name.empty())
            question.name.push_back('.');
        for (std::size_t i = 0; i < length; ++i)
            question.name.push_back(
                static_cast<char>(std::tolower(static_cast<unsigned char>(data[pos + i]))));
        pos += length;
    }
    if (pos + 4 > size)
        return std::nullopt;
    question.type = static_cast<std::uint16_t>(data[pos] << 8 | data[pos + 1]);
    question.qclass = static_cast<std::uint16_t>(data[pos + 2] << 8 | data[pos + 3]);
    pos += 4;
    question.rawQuestion.assign(data + kHeaderSize, data + pos);
    return question;
}

std::vector<std::uint8_t> buildDnsResponse(const DnsQuestion& question, const ZoneAnswer& answer,
                                           bool udp) {
    if (answer.behaviour == Behaviour::drop)
        return {};
    if (answer.malformation != Malformation::none && answer.malformation != Malformation::wrongId)
        return malformedReply(question, answer.malformation);
    const std::uint16_t id = answer.malformation == Malformation::wrongId
                                 ? static_cast<std::uint16_t>(question.id ^ 0x5555)
                                 : question.id;
    Writer out;
    switch (answer.behaviour) {
        case Behaviour::servfail:
            header(out, question, id, false, kRcodeServfail, 0, 0);
            return out.take();
        case Behaviour::refused:
            header(out, question, id, false, kRcodeRefused, 0, 0);
            return out.take();
        case Behaviour::nxdomain:
            header(out, question, id, false, kRcodeNxdomain, 0, 1);
            soa(out, answer.negativeTtl);
            return out.take();
        case Behaviour::answer:
        case Behaviour::drop:
            break;
    }
    if (udp && answer.truncateUdp) {
        header(out, question, id, true, 0, 0, 0);
        return out.take();
    }
    if (answer.records.empty()) {
        header(out, question, id, false, 0, 0, 1);
        soa(out, answer.negativeTtl);
        return out.take();
    }
    header(out, question, id, false, 0, static_cast<std::uint16_t>(answer.records.size()), 0);
    for (const FakeRecord& rec : answer.records)
        record(out, rec);
    return out.take();
}

}  // namespace mailsift::fakes
