#include "dns/answer_reader.h"

#include <ares.h>
#include <arpa/inet.h>

#include <algorithm>

#include "dns/dns_message.h"

namespace mailsift::stages::dns {
namespace {

/// Most addresses read from one A or AAAA answer.
constexpr int kMaxAddresses = 64;

std::string canonicalHost(const char* host) {
    std::string name = host ? host : "";
    while (!name.empty() && name.back() == '.')
        name.pop_back();
    for (char& c : name) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return name;
}

void addUnique(std::vector<std::string>& list, std::string value) {
    if (std::find(list.begin(), list.end(), value) == list.end())
        list.push_back(std::move(value));
}

std::optional<DnsMessage> parseMessage(const unsigned char* abuf, int alen) {
    if (abuf == nullptr || alen <= 0)
        return std::nullopt;
    return DnsMessage::parse(abuf, static_cast<std::size_t>(alen));
}

std::optional<std::uint32_t> lower(std::optional<std::uint32_t> a, std::uint32_t b) {
    return a ? std::min(*a, b) : b;
}

}  // namespace

MxAnswer readMxAnswer(const unsigned char* abuf, int alen) {
    MxAnswer answer;
    const std::optional<DnsMessage> message = parseMessage(abuf, alen);
    if (!message)
        return answer;
    ares_mx_reply* replies = nullptr;
    const int rc = ares_parse_mx_reply(abuf, alen, &replies);
    if (rc == ARES_ENODATA) {
        answer.kind = MxAnswer::Kind::noMxRecords;
        return answer;
    }
    if (rc != ARES_SUCCESS)
        return answer;
    answer.kind = MxAnswer::Kind::exchangers;
    answer.ttl = message->minAnswerTtl(DnsMessage::kTypeMx).value_or(0);
    for (const ares_mx_reply* reply = replies; reply != nullptr; reply = reply->next) {
        std::string host = canonicalHost(reply->host);
        if (host.empty())
            continue;  // the null MX root (RFC 7505): no mail here
        const auto same = std::find_if(answer.hosts.begin(), answer.hosts.end(),
                                       [&](const MxAnswer::Host& h) { return h.name == host; });
        if (same == answer.hosts.end())
            answer.hosts.push_back(MxAnswer::Host{std::move(host), reply->priority});
        else
            same->preference = std::min(same->preference, reply->priority);
    }
    ares_free_data(replies);
    return answer;
}

AddressAnswer readAddressAnswer(int type, const unsigned char* abuf, int alen) {
    AddressAnswer answer;
    if (!parseMessage(abuf, alen))
        return answer;
    if (type == DnsMessage::kTypeA) {
        ares_addrttl found[kMaxAddresses];
        int count = kMaxAddresses;
        const int rc = ares_parse_a_reply(abuf, alen, nullptr, found, &count);
        answer.ok = rc == ARES_SUCCESS || rc == ARES_ENODATA;
        for (int i = 0; rc == ARES_SUCCESS && i < count; ++i) {
            char text[INET_ADDRSTRLEN] = {};
            if (inet_ntop(AF_INET, &found[i].ipaddr, text, sizeof text) != nullptr)
                addUnique(answer.addresses, text);
            answer.ttl = lower(answer.ttl, static_cast<std::uint32_t>(std::max(found[i].ttl, 0)));
        }
    } else if (type == DnsMessage::kTypeAaaa) {
        ares_addr6ttl found[kMaxAddresses];
        int count = kMaxAddresses;
        const int rc = ares_parse_aaaa_reply(abuf, alen, nullptr, found, &count);
        answer.ok = rc == ARES_SUCCESS || rc == ARES_ENODATA;
        for (int i = 0; rc == ARES_SUCCESS && i < count; ++i) {
            char text[INET6_ADDRSTRLEN] = {};
            if (inet_ntop(AF_INET6, &found[i].ip6addr, text, sizeof text) != nullptr)
                addUnique(answer.addresses, text);
            answer.ttl = lower(answer.ttl, static_cast<std::uint32_t>(std::max(found[i].ttl, 0)));
        }
    }
    return answer;
}

std::optional<std::uint32_t> readNegativeTtl(const unsigned char* abuf, int alen) {
    const std::optional<DnsMessage> message = parseMessage(abuf, alen);
    return message ? message->negativeTtl() : std::nullopt;
}

}  // namespace mailsift::stages::dns
