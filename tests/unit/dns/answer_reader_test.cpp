// answer_reader: what the dns stage takes from MX, A and AAAA answers the fake DNS encodes.
#include "dns/answer_reader.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "dns/dns_message.h"
#include "fakes/dns/fake_dns_wire.h"

namespace mailsift::stages::dns {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes reply(const fakes::FakeDnsZone& zone, const std::string& name, fakes::RecordType type) {
    Bytes query{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    std::size_t start = 0;
    while (start < name.size()) {
        const std::size_t dot = std::min(name.find('.', start), name.size());
        query.push_back(static_cast<std::uint8_t>(dot - start));
        query.insert(query.end(), name.begin() + static_cast<long>(start),
                     name.begin() + static_cast<long>(dot));
        start = dot + 1;
    }
    const auto code = static_cast<std::uint16_t>(type);
    query.insert(query.end(), {0, static_cast<std::uint8_t>(code >> 8),
                               static_cast<std::uint8_t>(code & 0xff), 0, 1});
    const auto question = fakes::parseDnsQuery(query.data(), query.size());
    EXPECT_TRUE(question);
    return fakes::buildDnsResponse(*question, zone.lookup(name, type), true);
}

int size(const Bytes& bytes) {
    return static_cast<int>(bytes.size());
}

TEST(AnswerReaderTest, MxHostsAreCanonicalUniqueWithTheirLowestPreference) {
    fakes::FakeDnsZone zone;
    zone.mx("example.test", 20, "MX2.Example.Test.", 600)
        .mx("example.test", 10, "mx1.example.test", 120)
        .mx("example.test", 5, "mx2.example.test", 300);
    const Bytes bytes = reply(zone, "example.test", fakes::RecordType::mx);
    const MxAnswer answer = readMxAnswer(bytes.data(), size(bytes));
    ASSERT_EQ(answer.kind, MxAnswer::Kind::exchangers);
    ASSERT_EQ(answer.hosts.size(), 2U);
    EXPECT_EQ(answer.hosts[0].name, "mx2.example.test");
    EXPECT_EQ(answer.hosts[0].preference, 5);
    EXPECT_EQ(answer.hosts[1].name, "mx1.example.test");
    EXPECT_EQ(answer.ttl, 120U);
}

TEST(AnswerReaderTest, NullMxLeavesNoHosts) {
    fakes::FakeDnsZone zone;
    zone.nullMx("nomail.test");
    const Bytes bytes = reply(zone, "nomail.test", fakes::RecordType::mx);
    const MxAnswer answer = readMxAnswer(bytes.data(), size(bytes));
    EXPECT_EQ(answer.kind, MxAnswer::Kind::exchangers);
    EXPECT_TRUE(answer.hosts.empty());
}

TEST(AnswerReaderTest, AddressesAndTheirLowestTtl) {
    fakes::FakeDnsZone zone;
    zone.a("mx.test", "192.0.2.1", 90).a("mx.test", "192.0.2.2", 30).aaaa("mx.test", "2001:db8::1");
    const Bytes v4 = reply(zone, "mx.test", fakes::RecordType::a);
    const AddressAnswer a = readAddressAnswer(DnsMessage::kTypeA, v4.data(), size(v4));
    EXPECT_TRUE(a.ok);
    EXPECT_EQ(a.addresses, (std::vector<std::string>{"192.0.2.1", "192.0.2.2"}));
    EXPECT_EQ(a.ttl, 30U);
    const Bytes v6 = reply(zone, "mx.test", fakes::RecordType::aaaa);
    const AddressAnswer aaaa = readAddressAnswer(DnsMessage::kTypeAaaa, v6.data(), size(v6));
    EXPECT_TRUE(aaaa.ok);
    EXPECT_EQ(aaaa.addresses, (std::vector<std::string>{"2001:db8::1"}));
}

TEST(AnswerReaderTest, GarbageIsMalformedAndNegativeTtlComesFromTheSoa) {
    const Bytes garbage{1, 2, 3, 4, 5};
    EXPECT_EQ(readMxAnswer(garbage.data(), size(garbage)).kind, MxAnswer::Kind::malformed);
    EXPECT_FALSE(readAddressAnswer(DnsMessage::kTypeA, garbage.data(), size(garbage)).ok);
    EXPECT_FALSE(readMxAnswer(nullptr, 0).hosts.size());
    EXPECT_FALSE(readNegativeTtl(garbage.data(), size(garbage)));

    fakes::FakeDnsZone zone;
    zone.negativeTtl(42);
    const Bytes gone = reply(zone, "gone.test", fakes::RecordType::mx);
    EXPECT_EQ(readNegativeTtl(gone.data(), size(gone)), 42U);
}

}  // namespace
}  // namespace mailsift::stages::dns
