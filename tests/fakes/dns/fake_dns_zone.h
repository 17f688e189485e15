#pragma once
// The scripted zone a FakeDnsServer answers from. Tests build it in C++; the fake-dns executable
// loads it from a text file with one directive per line ('#' starts a comment, TTL is optional and
// defaults to 300):
//
//     example.test      MX        10 mx1.example.test 300   # an exchanger
//     nullmx.test       MX        0 . 300                   # null MX (RFC 7505); or: NULLMX [ttl]
//     mx1.example.test  A         127.0.0.10 300
//     mx1.example.test  AAAA      ::1 300
//     nodata.test       EXISTS                              # the name exists, no records (NODATA)
//     gone.test         NXDOMAIN
//     broken.test       SERVFAIL
//     closed.test       REFUSED
//     silent.test       DROP                                # never answered
//     slow.test         DELAY     200                       # answer after 200 ms
//     big.test          TRUNCATE                            # UDP answers carry TC, TCP answers
//     fully bad.test          MALFORMED garbage                   # or short, overrun, loop,
//     wrong_id
//     *                 DELAY     20                        # every name: answer after 20 ms
//     *                 NEGATIVE_TTL 60                     # SOA minimum of negative answers
//
// Names are case-insensitive and written without the trailing dot. Any name that the zone does
// not know answers NXDOMAIN: the fake is authoritative for everything.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mailsift::fakes {

/// The record types the fake serves (values are the wire codes).
enum class RecordType : std::uint16_t { a = 1, soa = 6, mx = 15, aaaa = 28 };

/// How the fake reacts to a query for a name.
enum class Behaviour { answer, nxdomain, servfail, refused, drop };

/// Ways to send a broken reply, for robustness tests.
enum class Malformation {
    none,
    garbage,     ///< random bytes
    shortReply,  ///< fewer bytes than a header
    overrun,     ///< an answer whose RDLENGTH runs past the end of the message
    loop,        ///< a compression pointer that points at itself
    wrongId,     ///< a well-formed answer with another query id
};

/// One resource record, ready to encode. `data` is the RDATA without the name of the owner.
struct FakeRecord {
    RecordType type = RecordType::a;
    std::uint32_t ttl = 300;
    std::uint16_t preference = 0;       ///< MX only
    std::string target;                 ///< MX: exchanger name ("" for the null MX root)
    std::vector<std::uint8_t> address;  ///< A: 4 bytes, AAAA: 16 bytes
};

/// What the zone says about one (name, type) question.
struct ZoneAnswer {
    Behaviour behaviour = Behaviour::nxdomain;
    Malformation malformation = Malformation::none;
    std::chrono::milliseconds delay{0};
    bool truncateUdp = false;
    std::vector<FakeRecord> records;  ///< records of the asked type; empty with answer = NODATA
    std::uint32_t negativeTtl = 300;  ///< SOA minimum for NXDOMAIN and NODATA
};

/// A scripted zone. Every member is thread-safe, so tests may edit the zone while the server runs.
/// The builder functions return *this for chaining and throw std::invalid_argument for bad input.
class FakeDnsZone {
  public:
    FakeDnsZone& mx(std::string_view domain, std::uint16_t preference, std::string_view host,
                    std::uint32_t ttl = 300);
    /// RFC 7505 null MX: one MX with preference 0 and the root as exchanger.
    FakeDnsZone& nullMx(std::string_view domain, std::uint32_t ttl = 300);
    FakeDnsZone& a(std::string_view name, std::string_view ipv4, std::uint32_t ttl = 300);
    FakeDnsZone& aaaa(std::string_view name, std::string_view ipv6, std::uint32_t ttl = 300);
    /// The name exists without records: every type answers NODATA.
    FakeDnsZone& exists(std::string_view name);
    FakeDnsZone& nxdomain(std::string_view name);
    FakeDnsZone& servfail(std::string_view name);
    FakeDnsZone& refused(std::string_view name);
    /// Queries for the name are never answered.
    FakeDnsZone& drop(std::string_view name);
    /// Answers for the name leave after `delay` (other queries are served meanwhile).
    FakeDnsZone& delay(std::string_view name, std::chrono::milliseconds delay);
    /// Every answer leaves after at least `delay`.
    FakeDnsZone& delayAll(std::chrono::milliseconds delay);
    /// UDP answers for the name are empty with TC set, so clients must retry over TCP.
    FakeDnsZone& truncate(std::string_view name);
    FakeDnsZone& malformed(std::string_view name, Malformation kind);
    /// SOA minimum sent in the authority section of negative answers.
    FakeDnsZone& negativeTtl(std::uint32_t seconds);
    /// Forgets everything about the name (it answers NXDOMAIN again).
    void remove(std::string_view name);
    void clear();

    /// Adds the directives of a zone file (format in the header comment). Throws
    /// std::invalid_argument naming the line for a bad one.
    void loadText(std::string_view text);
    void loadFile(const std::string& path);

    /// What to answer for a question; the name is compared case-insensitively.
    ZoneAnswer lookup(std::string_view name, RecordType type) const;

  private:
    struct Entry {
        Behaviour behaviour = Behaviour::answer;
        Malformation malformation = Malformation::none;
        std::chrono::milliseconds delay{0};
        bool truncateUdp = false;
        std::vector<FakeRecord> records;
    };

    Entry& entry(std::string_view name);  ///< caller holds mutex_
    void loadLine(std::string_view line);

    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
    std::chrono::milliseconds delayAll_{0};
    std::uint32_t negativeTtl_ = 300;
};

}  // namespace mailsift::fakes
