#include "address_corpus.h"

#include <array>
#include <string_view>

namespace mailsift::bench {
namespace {

/// SplitMix64: tiny, fast and identical everywhere (std distributions are not).
class Random {
  public:
    explicit Random(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    std::size_t below(std::size_t bound) { return static_cast<std::size_t>(next() % bound); }
    template <class Array>
    std::string_view pick(const Array& values) {
        return values[below(values.size())];
    }

  private:
    std::uint64_t state_;
};

constexpr std::array<std::string_view, 24> kFirst = {
    "james",   "mary",      "john",  "patricia", "robert", "jennifer", "michael", "linda",
    "william", "elizabeth", "david", "barbara",  "lukas",  "sophie",   "jean",    "marie",
    "hiroshi", "yuki",      "olga",  "ivan",     "carlos", "lucia",    "ahmed",   "fatima"};
constexpr std::array<std::string_view, 20> kLast = {
    "smith",  "johnson",  "williams", "brown",  "jones",   "garcia", "miller",
    "davis",  "mueller",  "schmidt",  "martin", "bernard", "rossi",  "tanaka",
    "ivanov", "kowalski", "silva",    "nguyen", "kim",     "oconnor"};
// Weighted: gmail appears often, as in real lists.
constexpr std::array<std::string_view, 24> kFree = {
    "gmail.com", "gmail.com",   "gmail.com",   "gmail.com",      "gmail.com",  "yahoo.com",
    "yahoo.com", "hotmail.com", "hotmail.com", "outlook.com",    "icloud.com", "aol.com",
    "gmx.de",    "web.de",      "mail.ru",     "yandex.ru",      "qq.com",     "163.com",
    "orange.fr", "live.com",    "gmx.com",     "protonmail.com", "libero.it",  "comcast.net"};
constexpr std::array<std::string_view, 24> kWords = {
    "acme",   "global",  "tech",  "solutions", "north", "star",      "blue",    "river",
    "data",   "systems", "green", "field",     "alpha", "logistics", "digital", "media",
    "health", "care",    "bau",   "consult",   "nova",  "prime",     "urban",   "works"};
constexpr std::array<std::string_view, 10> kTlds = {"com", "com", "com", "de", "co.uk",
                                                    "io",  "net", "org", "fr", "nl"};
constexpr std::array<std::string_view, 8> kIdnDomains = {
    "müller-bau.de", "bücher.de", "exämple.com", "例子.广告",
    "café-paris.fr", "straße.de", "пример.рф",   "größe.at"};
constexpr std::array<std::string_view, 10> kRoles = {
    "info", "admin", "sales", "support", "contact", "noreply", "office", "billing", "hr", "team"};
constexpr std::array<std::string_view, 8> kDisposable = {
    "mailinator.com", "guerrillamail.com", "10minutemail.com", "yopmail.com",
    "trashmail.com",  "tempmail.net",      "x.33m.co",         "throwaway.email"};
constexpr std::array<std::string_view, 12> kTypos = {
    "gmial.com", "gmai.com",  "gmail.con",   "hotmial.com", "yaho.com",  "outlok.com",
    "gmail.co",  "yahoo.cmo", "hotmail.ocm", "gmaill.com",  "iclod.com", "protonmial.com"};
constexpr std::array<std::string_view, 12> kInvalid = {
    "plainaddress",         "john..doe@example.com",
    "@example.com",         "john@",
    "john doe@example.com", "john@example..com",
    ".john@example.com",    "john@-example.com",
    "a\"b@example.com",     "john@example.123",
    "john@exa_mple.com",    "john(comment)@example.com"};

std::string person(Random& random) {
    std::string local(random.pick(kFirst));
    switch (random.below(4)) {
        case 0:
            local.append(".").append(random.pick(kLast));
            break;
        case 1:
            local.append(random.pick(kLast)).append(std::to_string(random.below(100)));
            break;
        case 2:
            local = std::string(1, local[0]).append(random.pick(kLast));
            break;
        default:
            local.append("_").append(std::to_string(1960 + random.below(50)));
            break;
    }
    return local;
}

std::string company(Random& random) {
    std::string domain(random.pick(kWords));
    if (random.below(2) == 0)
        domain.append(random.below(3) == 0 ? "-" : "").append(random.pick(kWords));
    domain.append(std::to_string(random.below(50)));  // many distinct company domains
    return domain.append(".").append(random.pick(kTlds));
}

}  // namespace

std::vector<std::string> makeAddressCorpus(std::size_t count, std::uint64_t seed) {
    Random random(seed);
    std::vector<std::string> corpus;
    corpus.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t kind = random.below(1000);
        std::string address;
        if (kind < 450) {
            address = person(random) + "@" + std::string(random.pick(kFree));
        } else if (kind < 795) {
            address = person(random) + "@" + company(random);
        } else if (kind < 800) {
            address = person(random) + "@" + std::string(random.pick(kIdnDomains));
        } else if (kind < 860) {
            address = std::string(random.pick(kRoles)) + "@" + company(random);
        } else if (kind < 900) {
            address = person(random) + "@" + std::string(random.pick(kDisposable));
        } else if (kind < 940) {
            address = person(random) + "@" + std::string(random.pick(kTypos));
        } else if (kind < 960) {
            address = std::string(random.pick(kInvalid));
        } else if (kind < 975) {
            address = "John.Smith@" + std::string(random.below(2) ? "GMAIL.COM" : "Example.ORG");
        } else if (kind < 990) {
            address = person(random) + "+newsletter@" + std::string(random.pick(kFree));
        } else if (kind < 995) {
            address = "  " + person(random) + "@" + company(random) + " \r\n";
        } else {
            address = "josé.müller@" + company(random);
        }
        corpus.push_back(std::move(address));
    }
    return corpus;
}

}  // namespace mailsift::bench
