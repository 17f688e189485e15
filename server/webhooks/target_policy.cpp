#include "webhooks/target_policy.h"

#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/NetException.h>

#include <cstring>

namespace mailsift::webhooks {

namespace {

bool isPrivateIPv4(const unsigned char* b) {
    return b[0] == 0 || b[0] == 10 || b[0] == 127 ||   // this network, RFC 1918, loopback
           (b[0] == 100 && (b[1] & 0xC0) == 64) ||     // 100.64.0.0/10 carrier-grade NAT
           (b[0] == 169 && b[1] == 254) ||             // link-local
           (b[0] == 172 && (b[1] & 0xF0) == 16) ||     // 172.16.0.0/12
           (b[0] == 192 && b[1] == 168) ||             // 192.168.0.0/16
           (b[0] == 192 && b[1] == 0 && b[2] == 0) ||  // 192.0.0.0/24 protocol assignments
           (b[0] == 198 && (b[1] & 0xFE) == 18) ||     // 198.18.0.0/15 benchmarking
           b[0] >= 224;                                // multicast, reserved, broadcast
}

}  // namespace

bool isPrivateAddress(const Poco::Net::IPAddress& address) {
    if (address.family() == Poco::Net::IPAddress::IPv4) {
        unsigned char b[4];
        std::memcpy(b, address.addr(), 4);
        return isPrivateIPv4(b);
    }
    unsigned char b[16];
    std::memcpy(b, address.addr(), 16);
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(b, kMapped, 12) == 0) {
        return isPrivateIPv4(b + 12);
    }
    static const unsigned char kZero[12] = {};
    if (std::memcmp(b, kZero, 12) == 0) {
        return true;  // ::, ::1 and the deprecated IPv4-compatible forms
    }
    return (b[0] & 0xFE) == 0xFC ||                                         // fc00::/7 unique local
           (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) ||                       // fe80::/10 link-local
           (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) ||                       // fec0::/10 site-local
           b[0] == 0xFF ||                                                  // multicast
           (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B);  // 64:ff9b:: NAT64
}

ResolvedTarget TargetPolicy::resolve(const std::string& host) const {
    ResolvedTarget target;
    Poco::Net::HostEntry::AddressList addresses;
    try {
        Poco::Net::IPAddress literal;
        if (Poco::Net::IPAddress::tryParse(host, literal)) {
            addresses.push_back(literal);
        } else {
            addresses = Poco::Net::DNS::hostByName(host).addresses();
        }
    } catch (const Poco::Exception& e) {
        target.problem = "cannot resolve " + host + ": " + e.displayText();
        return target;
    }
    if (addresses.empty()) {
        target.problem = "cannot resolve " + host + ": no address";
        return target;
    }
    if (!allowPrivate_) {
        for (const auto& address : addresses) {
            if (isPrivateAddress(address)) {
                target.refused = true;
                target.problem = "refused: " + host + " resolves to the private, loopback or " +
                                 "link-local address " + address.toString() +
                                 " (set webhooks.allow_private_targets to allow it)";
                return target;
            }
        }
    }
    target.address = addresses.front();
    return target;
}

}  // namespace mailsift::webhooks
