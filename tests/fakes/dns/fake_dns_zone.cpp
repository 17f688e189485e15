#include "fakes/dns/fake_dns_zone.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mailsift::fakes {
namespace {

std::string canonical(std::string_view name) {
    std::string out(name);
    while (!out.empty() && out.back() == '.')
        out.pop_back();
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (out.empty())
        throw std::invalid_argument("fake dns: empty name");
    return out;
}

std::vector<std::uint8_t> parseAddress(int family, std::string_view text) {
    std::vector<std::uint8_t> bytes(family == AF_INET ? 4 : 16);
    const std::string copy(text);
    if (inet_pton(family, copy.c_str(), bytes.data()) != 1)
        throw std::invalid_argument("fake dns: bad address '" + copy + "'");
    return bytes;
}

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i])))
            ++i;
        std::size_t j = i;
        while (j < line.size() && !std::isspace(static_cast<unsigned char>(line[j])))
            ++j;
        if (j > i)
            out.push_back(line.substr(i, j - i));
        i = j;
    }
    return out;
}

std::uint32_t number(std::string_view word, std::uint32_t max) {
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (error != std::errc() || end != word.data() + word.size() || value > max)
        throw std::invalid_argument("bad number '" + std::string(word) + "'");
    return value;
}

std::string upper(std::string_view word) {
    std::string out(word);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    return out;
}

}  // namespace

FakeDnsZone::Entry& FakeDnsZone::entry(std::string_view name) {
    const std::string key = canonical(name);
    auto it = entries_.find(key);
    if (it == entries_.end())
        it = entries_.emplace(key, Entry{}).first;
    return it->second;
}

FakeDnsZone& FakeDnsZone::mx(std::string_view domain, std::uint16_t preference,
                             std::string_view host, std::uint32_t ttl) {
    FakeRecord record;
    record.type = RecordType::mx;
    record.ttl = ttl;
    record.preference = preference;
    record.target = (host.empty() || host == ".") ? std::string() : canonical(host);
    std::lock_guard lock(mutex_);
    entry(domain).records.push_back(std::move(record));
    return *this;
}

FakeDnsZone& FakeDnsZone::nullMx(std::string_view domain, std::uint32_t ttl) {
    return mx(domain, 0, ".", ttl);
}

FakeDnsZone& FakeDnsZone::a(std::string_view name, std::string_view ipv4, std::uint32_t ttl) {
    FakeRecord record{RecordType::a, ttl, 0, {}, parseAddress(AF_INET, ipv4)};
    std::lock_guard lock(mutex_);
    entry(name).records.push_back(std::move(record));
    return *this;
}

FakeDnsZone& FakeDnsZone::aaaa(std::string_view name, std::string_view ipv6, std::uint32_t ttl) {
    FakeRecord record{RecordType::aaaa, ttl, 0, {}, parseAddress(AF_INET6, ipv6)};
    std::lock_guard lock(mutex_);
    entry(name).records.push_back(std::move(record));
    return *this;
}

FakeDnsZone& FakeDnsZone::exists(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name);
    return *this;
}

FakeDnsZone& FakeDnsZone::nxdomain(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name).behaviour = Behaviour::nxdomain;
    return *this;
}

FakeDnsZone& FakeDnsZone::servfail(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name).behaviour = Behaviour::servfail;
    return *this;
}

FakeDnsZone& FakeDnsZone::refused(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name).behaviour = Behaviour::refused;
    return *this;
}

FakeDnsZone& FakeDnsZone::drop(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name).behaviour = Behaviour::drop;
    return *this;
}

FakeDnsZone& FakeDnsZone::delay(std::string_view name, std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    entry(name).delay = delay;
    return *this;
}

FakeDnsZone& FakeDnsZone::delayAll(std::chrono::milliseconds delay) {
    std::lock_guard lock(mutex_);
    delayAll_ = delay;
    return *this;
}

FakeDnsZone& FakeDnsZone::truncate(std::string_view name) {
    std::lock_guard lock(mutex_);
    entry(name).truncateUdp = true;
    return *this;
}

FakeDnsZone& FakeDnsZone::malformed(std::string_view name, Malformation kind) {
    std::lock_guard lock(mutex_);
    entry(name).malformation = kind;
    return *this;
}

FakeDnsZone& FakeDnsZone::negativeTtl(std::uint32_t seconds) {
    std::lock_guard lock(mutex_);
    negativeTtl_ = seconds;
    return *this;
}

void FakeDnsZone::remove(std::string_view name) {
    const std::string key = canonical(name);
    std::lock_guard lock(mutex_);
    entries_.erase(key);
}

void FakeDnsZone::clear() {
    std::lock_guard lock(mutex_);
    entries_.clear();
    delayAll_ = std::chrono::milliseconds(0);
    negativeTtl_ = 300;
}

ZoneAnswer FakeDnsZone::lookup(std::string_view name, RecordType type) const {
    ZoneAnswer answer;
    std::string key;
    try {
        key = canonical(name);
    } catch (const std::invalid_argument&) {
        key.clear();
    }
    std::lock_guard lock(mutex_);
    answer.delay = delayAll_;
    answer.negativeTtl = negativeTtl_;
    const auto it = entries_.find(key);
    if (it == entries_.end())
        return answer;  // NXDOMAIN
    const Entry& found = it->second;
    answer.behaviour = found.behaviour;
    answer.malformation = found.malformation;
    answer.delay = std::max(answer.delay, found.delay);
    answer.truncateUdp = found.truncateUdp;
    for (const FakeRecord& record : found.records) {
        if (record.type == type)
            answer.records.push_back(record);
    }
    return answer;
}

void FakeDnsZone::loadLine(std::string_view line) {
    if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
        line = line.substr(0, hash);
    const std::vector<std::string_view> w = words(line);
    if (w.empty())
        return;
    if (w.size() < 2)
        throw std::invalid_argument("expected '<name> <directive> ...'");
    const std::string_view name = w[0];
    const std::string directive = upper(w[1]);
    const auto ttlAt = [&](std::size_t index) {
        return w.size() > index ? number(w[index], 0x7fffffff) : 300U;
    };
    const auto need = [&](std::size_t count) {
        if (w.size() < count)
            throw std::invalid_argument(directive + " needs " + std::to_string(count - 2) +
                                        " argument(s)");
    };
    if (name == "*") {
        need(3);
        if (directive == "DELAY")
            delayAll(std::chrono::milliseconds(number(w[2], 3600000)));
        else if (directive == "NEGATIVE_TTL")
            negativeTtl(number(w[2], 0x7fffffff));
        else
            throw std::invalid_argument("'*' takes DELAY or NEGATIVE_TTL, not " + directive);
        return;
    }
    if (directive == "MX") {
        need(4);
        mx(name, static_cast<std::uint16_t>(number(w[2], 65535)), w[3], ttlAt(4));
    } else if (directive == "NULLMX") {
        nullMx(name, ttlAt(2));
    } else if (directive == "A") {
        need(3);
        a(name, w[2], ttlAt(3));
    } else if (directive == "AAAA") {
        need(3);
        aaaa(name, w[2], ttlAt(3));
    } else if (directive == "EXISTS") {
        exists(name);
    } else if (directive == "NXDOMAIN") {
        nxdomain(name);
    } else if (directive == "SERVFAIL") {
        servfail(name);
    } else if (directive == "REFUSED") {
        refused(name);
    } else if (directive == "DROP") {
        drop(name);
    } else if (directive == "DELAY") {
        need(3);
        delay(name, std::chrono::milliseconds(number(w[2], 3600000)));
    } else if (directive == "TRUNCATE") {
        truncate(name);
    } else if (directive == "MALFORMED") {
        need(3);
        const std::string kind(w[2]);
        if (kind == "garbage")
            malformed(name, Malformation::garbage);
        else if (kind == "short")
            malformed(name, Malformation::shortReply);
        else if (kind == "overrun")
            malformed(name, Malformation::overrun);
        else if (kind == "loop")
            malformed(name, Malformation::loop);
        else if (kind == "wrong_id")
            malformed(name, Malformation::wrongId);
        else
            throw std::invalid_argument("unknown malformation '" + kind + "'");
    } else {
        throw std::invalid_argument("unknown directive '" + directive + "'");
    }
}

void FakeDnsZone::loadText(std::string_view text) {
    std::size_t lineNumber = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        ++lineNumber;
        try {
            loadLine(text.substr(start, end - start));
        } catch (const std::invalid_argument& error) {
            throw std::invalid_argument("zone line " + std::to_string(lineNumber) + ": " +
                                        error.what());
        }
        start = end + 1;
    }
}

void FakeDnsZone::loadFile(const std::string& path) {
    std::ifstream in(path);
    if (!in)
        throw std::invalid_argument("cannot read zone file " + path);
    std::ostringstream text;
    text << in.rdbuf();
    loadText(text.str());
}

}  // namespace mailsift::fakes
