// DnsMessage: reads real replies from the fake's encoder, and survives hostile bytes.
#include "dns/dns_message.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "fakes/dns/fake_dns_wire.h"

namespace mailsift::stages::dns {
namespace {

using Bytes = std::vector<std::uint8_t>;

/// A query for `name`/`type` as a resolver would send it.
Bytes query(const std::string& name, std::uint16_t type) {
    Bytes out{0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    std::size_t start = 0;
    while (start < name.size()) {
        std::size_t end = name.find('.', start);
        if (end == std::string::npos)
            end = name.size();
        out.push_back(static_cast<std::uint8_t>(end - start));
        out.insert(out.end(), name.begin() + static_cast<long>(start),
                   name.begin() + static_cast<long>(end));
        start = end + 1;
    }
    out.push_back(0);
    out.insert(out.end(), {static_cast<std::uint8_t>(type >> 8),
                           static_cast<std::uint8_t>(type & 0xff), 0, 1});
    return out;
}

Bytes reply(const fakes::FakeDnsZone& zone, const std::string& name, fakes::RecordType type) {
    const Bytes q = query(name, static_cast<std::uint16_t>(type));
    const auto question = fakes::parseDnsQuery(q.data(), q.size());
    EXPECT_TRUE(question);
    return fakes::buildDnsResponse(*question, zone.lookup(name, type), true);
}

TEST(DnsMessageTest, ReadsAnswersAndTtls) {
    fakes::FakeDnsZone zone;
    zone.mx("example.test", 10, "mx1.example.test", 300)
        .mx("example.test", 20, "mx2.example.test", 90);
    const Bytes bytes = reply(zone, "example.test", fakes::RecordType::mx);
    const auto message = DnsMessage::parse(bytes.data(), bytes.size());
    ASSERT_TRUE(message);
    EXPECT_EQ(message->id(), 0x1234);
    EXPECT_EQ(message->rcode(), 0);
    ASSERT_EQ(message->answers().size(), 2U);
    EXPECT_EQ(message->answers()[0].name, "example.test");
    EXPECT_EQ(message->minAnswerTtl(DnsMessage::kTypeMx), 90U);
    EXPECT_FALSE(message->minAnswerTtl(DnsMessage::kTypeA));
    EXPECT_FALSE(message->negativeTtl());
}

TEST(DnsMessageTest, NegativeTtlIsMinOfSoaTtlAndMinimum) {
    fakes::FakeDnsZone zone;
    zone.negativeTtl(42);
    const Bytes bytes = reply(zone, "gone.test", fakes::RecordType::mx);
    const auto message = DnsMessage::parse(bytes.data(), bytes.size());
    ASSERT_TRUE(message);
    EXPECT_EQ(message->rcode(), 3);
    EXPECT_EQ(message->negativeTtl(), 42U);
}

TEST(DnsMessageTest, RejectsTruncatedAndInconsistentMessages) {
    fakes::FakeDnsZone zone;
    zone.mx("example.test", 10, "mx1.example.test");
    const Bytes good = reply(zone, "example.test", fakes::RecordType::mx);
    for (std::size_t size = 0; size < good.size(); ++size)
        EXPECT_FALSE(DnsMessage::parse(good.data(), size)) << size;
    EXPECT_FALSE(DnsMessage::parse(nullptr, 100));

    Bytes manyAnswers = good;
    manyAnswers[6] = 0xff;  // ANCOUNT far beyond what follows
    EXPECT_FALSE(DnsMessage::parse(manyAnswers.data(), manyAnswers.size()));

    Bytes forward = good;
    const std::size_t answer = query("example.test", 15).size();  // header + question
    forward[answer] = 0xc0;
    forward[answer + 1] = static_cast<std::uint8_t>(answer + 4);  // points forward
    EXPECT_FALSE(DnsMessage::parse(forward.data(), forward.size()));

    Bytes self = good;
    self[answer + 1] = static_cast<std::uint8_t>(answer);  // points at itself
    EXPECT_FALSE(DnsMessage::parse(self.data(), self.size()));
}

TEST(DnsMessageTest, SurvivesRandomAndMutatedBytes) {
    fakes::FakeDnsZone zone;
    zone.mx("example.test", 10, "mx1.example.test").negativeTtl(60);
    const Bytes good = reply(zone, "example.test", fakes::RecordType::mx);
    const Bytes negative = reply(zone, "gone.test", fakes::RecordType::mx);
    std::uint32_t state = 12345;
    const auto next = [&] {
        state = state * 1664525U + 1013904223U;
        return state >> 8;
    };
    for (int round = 0; round < 20000; ++round) {
        Bytes bytes = (round % 3 == 0) ? Bytes(next() % 300) : (round % 3 == 1 ? good : negative);
        if (round % 3 == 0) {
            for (std::uint8_t& b : bytes)
                b = static_cast<std::uint8_t>(next());
        } else {
            for (unsigned flips = next() % 4 + 1; flips > 0; --flips)
                bytes[next() % bytes.size()] = static_cast<std::uint8_t>(next());
        }
        if (const auto message = DnsMessage::parse(bytes.data(), bytes.size())) {
            (void)message->minAnswerTtl(DnsMessage::kTypeMx);
            (void)message->negativeTtl();
        }
    }
    SUCCEED();
}

}  // namespace
}  // namespace mailsift::stages::dns
