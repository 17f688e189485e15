// What the dns stage takes from an answer (plugins/dns/answer_reader: DnsMessage, c-ares' MX, A
// and AAAA parsers and our handling of what they return) on arbitrary bytes. The first byte picks
// the question type, the rest is the answer as a DNS server could send it.
#include <cstddef>
#include <cstdint>

#include "dns/answer_reader.h"
#include "dns/dns_message.h"
#include "fuzz_check.h"

using namespace mailsift::stages::dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > 65535)
        return 0;
    const std::uint8_t selector = data[0];
    const unsigned char* abuf = data + 1;
    const int alen = static_cast<int>(size - 1);
    (void)readNegativeTtl(abuf, alen);
    switch (selector % 3) {
        case 0: {
            const MxAnswer answer = readMxAnswer(abuf, alen);
            for (const MxAnswer::Host& host : answer.hosts) {
                FUZZ_CHECK(!host.name.empty() && host.name.back() != '.', "canonical MX host");
                for (const char c : host.name)
                    FUZZ_CHECK(c < 'A' || c > 'Z', "lower-case MX host");
            }
            FUZZ_CHECK(answer.kind == MxAnswer::Kind::exchangers || answer.hosts.empty(),
                       "hosts only for exchangers");
            break;
        }
        case 1:
        case 2: {
            const int type = selector % 3 == 1 ? DnsMessage::kTypeA : DnsMessage::kTypeAaaa;
            const AddressAnswer answer = readAddressAnswer(type, abuf, alen);
            FUZZ_CHECK(answer.ok || answer.addresses.empty(), "addresses only when ok");
            FUZZ_CHECK(answer.addresses.size() <= 64, "at most 64 addresses");
            break;
        }
    }
    if (const auto message = DnsMessage::parse(abuf, static_cast<std::size_t>(alen))) {
        for (const DnsRecord& record : message->answers())
            FUZZ_CHECK(record.rdataOffset + record.rdataLength <= static_cast<std::size_t>(alen),
                       "rdata inside the message");
        (void)message->minAnswerTtl(DnsMessage::kTypeMx);
    }
    return 0;
}
