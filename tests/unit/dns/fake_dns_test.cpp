// The fake DNS server itself: zone files, UDP and TCP answers, counters, refusal of non-loopback.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "dns/dns_message.h"
#include "fakes/dns/fake_dns_server.h"

namespace mailsift::fakes {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes query(std::uint16_t id, const std::string& name, RecordType type) {
    Bytes out{static_cast<std::uint8_t>(id >> 8),
              static_cast<std::uint8_t>(id & 0xff),
              0x01,
              0x00,
              0,
              1,
              0,
              0,
              0,
              0,
              0,
              0};
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
    const auto code = static_cast<std::uint16_t>(type);
    out.insert(out.end(), {0, static_cast<std::uint8_t>(code >> 8),
                           static_cast<std::uint8_t>(code & 0xff), 0, 1});
    return out;
}

sockaddr_in addressOf(const FakeDnsServer& server) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(server.port());
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    return address;
}

/// Sends over UDP and waits up to `waitMs` for a reply; empty when none came.
Bytes askUdp(const FakeDnsServer& server, const Bytes& message, int waitMs = 1000) {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    const sockaddr_in address = addressOf(server);
    sendto(fd, message.data(), message.size(), 0, reinterpret_cast<const sockaddr*>(&address),
           sizeof address);
    pollfd entry{fd, POLLIN, 0};
    Bytes reply(4096);
    if (poll(&entry, 1, waitMs) == 1) {
        const ssize_t n = recv(fd, reply.data(), reply.size(), 0);
        reply.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    } else {
        reply.clear();
    }
    close(fd);
    return reply;
}

Bytes askTcp(const FakeDnsServer& server, const Bytes& message) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    const sockaddr_in address = addressOf(server);
    if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return {};
    }
    Bytes framed{static_cast<std::uint8_t>(message.size() >> 8),
                 static_cast<std::uint8_t>(message.size() & 0xff)};
    framed.insert(framed.end(), message.begin(), message.end());
    send(fd, framed.data(), framed.size(), MSG_NOSIGNAL);
    Bytes buffer;
    std::uint8_t chunk[4096];
    while (buffer.size() < 2 || buffer.size() < 2U + (buffer[0] << 8 | buffer[1])) {
        const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            break;
        buffer.insert(buffer.end(), chunk, chunk + n);
    }
    close(fd);
    return buffer.size() > 2 ? Bytes(buffer.begin() + 2, buffer.end()) : Bytes{};
}

std::optional<stages::dns::DnsMessage> parse(const Bytes& bytes) {
    return stages::dns::DnsMessage::parse(bytes.data(), bytes.size());
}

TEST(FakeDnsTest, RefusesNonLoopbackAddresses) {
    EXPECT_THROW(FakeDnsServer("192.0.2.1"), std::invalid_argument);
    EXPECT_THROW(FakeDnsServer("0.0.0.0"), std::invalid_argument);
}

TEST(FakeDnsTest, AnswersUdpAndTcpOnOnePort) {
    FakeDnsServer server;
    server.zone().a("host.test", "127.0.0.5", 77);
    server.start();
    ASSERT_NE(server.port(), 0);
    const auto udp = parse(askUdp(server, query(0xbeef, "HOST.test", RecordType::a)));
    ASSERT_TRUE(udp);
    EXPECT_EQ(udp->id(), 0xbeef);
    ASSERT_EQ(udp->answers().size(), 1U);
    EXPECT_EQ(udp->answers()[0].ttl, 77U);
    const auto tcp = parse(askTcp(server, query(7, "host.test", RecordType::a)));
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->id(), 7);
    EXPECT_EQ(server.queries("host.test", RecordType::a), 2U);
    EXPECT_EQ(server.udpQueries(), 1U);
    EXPECT_EQ(server.tcpQueries(), 1U);
    server.resetCounts();
    EXPECT_EQ(server.totalQueries(), 0U);
}

TEST(FakeDnsTest, RcodesNodataTruncationAndDrop) {
    FakeDnsServer server;
    server.zone()
        .servfail("broken.test")
        .refused("closed.test")
        .exists("empty.test")
        .a("big.test", "127.0.0.6")
        .truncate("big.test")
        .drop("silent.test");
    server.start();
    EXPECT_EQ(parse(askUdp(server, query(1, "broken.test", RecordType::mx)))->rcode(), 2);
    EXPECT_EQ(parse(askUdp(server, query(1, "closed.test", RecordType::mx)))->rcode(), 5);
    EXPECT_EQ(parse(askUdp(server, query(1, "unknown.test", RecordType::mx)))->rcode(), 3);
    const auto nodata = parse(askUdp(server, query(1, "empty.test", RecordType::mx)));
    EXPECT_EQ(nodata->rcode(), 0);
    EXPECT_TRUE(nodata->answers().empty());
    EXPECT_TRUE(nodata->negativeTtl());
    const auto truncated = parse(askUdp(server, query(1, "big.test", RecordType::a)));
    EXPECT_TRUE(truncated->truncated());
    EXPECT_TRUE(truncated->answers().empty());
    EXPECT_EQ(parse(askTcp(server, query(1, "big.test", RecordType::a)))->answers().size(), 1U);
    EXPECT_TRUE(askUdp(server, query(1, "silent.test", RecordType::a), 200).empty());
    EXPECT_EQ(server.queries("silent.test", RecordType::a), 1U);
}

TEST(FakeDnsTest, IgnoresGarbageQueries) {
    FakeDnsServer server;
    server.start();
    EXPECT_TRUE(askUdp(server, Bytes{1, 2, 3}, 100).empty());
    Bytes pointer = query(1, "a.test", RecordType::a);
    pointer[12] = 0xc0;  // compression in a query
    EXPECT_TRUE(askUdp(server, pointer, 100).empty());
    EXPECT_EQ(server.totalQueries(), 0U);
}

TEST(FakeDnsTest, LoadsZoneText) {
    FakeDnsZone zone;
    zone.loadText(
        "# comment\n"
        "example.test MX 10 mx1.example.test 300\n"
        "mx1.example.test A 127.0.0.10\n"
        "nullmx.test NULLMX\n"
        "slow.test DELAY 200\n"
        "bad.test MALFORMED loop\n"
        "* DELAY 5\n"
        "* NEGATIVE_TTL 60   # trailing comment\n");
    const ZoneAnswer mx = zone.lookup("example.test", RecordType::mx);
    ASSERT_EQ(mx.records.size(), 1U);
    EXPECT_EQ(mx.records[0].preference, 10);
    EXPECT_EQ(mx.records[0].target, "mx1.example.test");
    EXPECT_EQ(mx.delay, std::chrono::milliseconds(5));
    EXPECT_EQ(mx.negativeTtl, 60U);
    EXPECT_EQ(zone.lookup("mx1.example.test", RecordType::a).records[0].ttl, 300U);
    EXPECT_EQ(zone.lookup("nullmx.test", RecordType::mx).records[0].target, "");
    EXPECT_EQ(zone.lookup("slow.test", RecordType::a).delay, std::chrono::milliseconds(200));
    EXPECT_EQ(zone.lookup("bad.test", RecordType::a).malformation, Malformation::loop);
    EXPECT_EQ(zone.lookup("nowhere.test", RecordType::a).behaviour, Behaviour::nxdomain);
    try {
        zone.loadText("ok.test A 127.0.0.1\nbad.test A not-an-ip\n");
        FAIL() << "no throw";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("zone line 2"), std::string::npos);
    }
    EXPECT_THROW(zone.loadText("x.test FROB"), std::invalid_argument);
}

}  // namespace
}  // namespace mailsift::fakes
