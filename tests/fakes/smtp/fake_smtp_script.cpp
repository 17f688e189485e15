#include "smtp/fake_smtp_script.h"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace mailsift::fakes {
namespace {

/// Splits a line into words; "double quoted" parts keep their spaces; '#' outside quotes ends it.
std::vector<std::string> words(const std::string& line, int number) {
    std::vector<std::string> out;
    std::string current;
    bool quoted = false;
    bool any = false;
    for (char c : line) {
        if (c == '"') {
            quoted = !quoted;
            any = true;
        } else if (!quoted && c == '#') {
            break;
        } else if (!quoted && (c == ' ' || c == '\t' || c == '\r')) {
            if (any)
                out.push_back(current);
            current.clear();
            any = false;
        } else {
            current.push_back(c);
            any = true;
        }
    }
    if (quoted)
        throw std::invalid_argument("line " + std::to_string(number) + ": unclosed quote");
    if (any)
        out.push_back(current);
    return out;
}

std::set<std::string> list(const std::string& value) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start <= value.size()) {
        const std::size_t comma = value.find(',', start);
        std::string item =
            value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        for (char& c : item) {
            if (c >= 'A' && c <= 'Z')
                c = static_cast<char>(c - 'A' + 'a');
        }
        if (!item.empty())
            out.insert(item);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

[[noreturn]] void failKey(int number, const std::string& key, const std::string& why) {
    throw std::invalid_argument("line " + std::to_string(number) + ": " + key + ": " + why);
}

void apply(FakeSmtpBehaviour& b, const std::string& key, const std::string& value, int number) {
    const auto fail = [&](const std::string& why) { failKey(number, key, why); };
    const auto flag = [&]() {
        if (value == "on" || value == "true" || value == "1")
            return true;
        if (value == "off" || value == "false" || value == "0")
            return false;
        failKey(number, key, "expected on or off");
    };
    const auto integer = [&]() {
        int n = 0;
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (error != std::errc() || end != value.data() + value.size() || n < 0)
            fail("expected a non-negative integer");
        return n;
    };
    using Ms = std::chrono::milliseconds;
    if (key == "hostname")
        b.hostname = value;
    else if (key == "known")
        b.known = list(value);
    else if (key == "known_local")
        b.knownLocal = list(value);
    else if (key == "catch_all")
        b.catchAll = flag();
    else if (key == "pipelining")
        b.pipelining = flag();
    else if (key == "starttls")
        b.starttls = flag();
    else if (key == "smtputf8")
        b.smtputf8 = flag();
    else if (key == "drop")
        b.dropAfterConnect = flag();
    else if (key == "greylist_ms")
        b.greylist = Ms(integer());
    else if (key == "delay_ms")
        b.replyDelay = Ms(integer());
    else if (key == "banner_delay_ms")
        b.bannerDelay = Ms(integer());
    else if (key == "close_after")
        b.closeAfterCommands = integer();
    else if (key == "max_conn")
        b.maxConnectionsPerClient = integer();
    else if (key == "max_rcpt")
        b.maxRcptPerTransaction = integer();
    else if (key == "banner")
        b.bannerReply = value;
    else if (key == "ehlo")
        b.ehloReply = value;
    else if (key == "helo")
        b.heloReply = value;
    else if (key == "mail")
        b.mailReply = value;
    else if (key.starts_with("rcpt:") && key.size() > 5)
        b.rcptReplies[*list(key.substr(5)).begin()] = value;
    else
        fail("unknown key");
}

/// "127.1.0.1" or "127.2.0.1-200" to the addresses it names.
std::vector<std::string> addresses(const std::string& word, int number) {
    const auto fail = [&]() {
        throw std::invalid_argument("line " + std::to_string(number) +
                                    ": not a loopback address "
                                    "or range: " +
                                    word);
    };
    const std::size_t dash = word.find('-');
    const std::string first = word.substr(0, dash);
    in_addr parsed{};
    if (inet_pton(AF_INET, first.c_str(), &parsed) != 1 || first.rfind("127.", 0) != 0)
        fail();
    if (dash == std::string::npos)
        return {first};
    const std::size_t lastDot = first.rfind('.');
    const int from = std::stoi(first.substr(lastDot + 1));
    int to = 0;
    const std::string tail = word.substr(dash + 1);
    const auto [end, error] = std::from_chars(tail.data(), tail.data() + tail.size(), to);
    if (error != std::errc() || end != tail.data() + tail.size() || to < from || to > 255)
        fail();
    std::vector<std::string> out;
    for (int octet = from; octet <= to; ++octet)
        out.push_back(first.substr(0, lastDot + 1) + std::to_string(octet));
    return out;
}

}  // namespace

std::vector<std::pair<std::string, FakeSmtpBehaviour>> parseFakeSmtpScript(std::istream& in) {
    std::vector<std::pair<std::string, FakeSmtpBehaviour>> out;
    FakeSmtpBehaviour defaults;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        const std::vector<std::string> parts = words(line, number);
        if (parts.empty())
            continue;
        FakeSmtpBehaviour behaviour = defaults;
        for (std::size_t i = 1; i < parts.size(); ++i) {
            const std::size_t equals = parts[i].find('=');
            if (equals == std::string::npos)
                throw std::invalid_argument("line " + std::to_string(number) +
                                            ": expected key=value, got " + parts[i]);
            apply(behaviour, parts[i].substr(0, equals), parts[i].substr(equals + 1), number);
        }
        if (parts[0] == "default") {
            defaults = behaviour;
            continue;
        }
        for (const std::string& ip : addresses(parts[0], number))
            out.emplace_back(ip, behaviour);
    }
    return out;
}

}  // namespace mailsift::fakes
