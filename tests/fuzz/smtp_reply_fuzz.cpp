// The SMTP reply parser (plugins/smtp) on arbitrary bytes, read as a session reads a stream of
// replies: every status is one of the three, a complete reply consumes bytes it was given and
// has a code in 200..599, and its summary is printable and bounded.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "probe/smtp_reply.h"

using namespace mailsift::stages::smtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view buffer(reinterpret_cast<const char*>(data), size);
    (void)parseEnhancedStatus(buffer);
    while (!buffer.empty()) {
        const ReplyParse parse = parseReply(buffer);
        if (parse.status != ReplyParse::Status::complete)
            break;
        FUZZ_CHECK(parse.consumed > 0 && parse.consumed <= buffer.size(), "consumed bytes");
        FUZZ_CHECK(parse.reply.code >= 200 && parse.reply.code <= 599, "reply code");
        FUZZ_CHECK(!parse.reply.lines.empty() && parse.reply.lines.size() <= kMaxReplyLines,
                   "reply lines");
        if (parse.reply.enhanced)
            FUZZ_CHECK(parse.reply.enhanced->klass == parse.reply.code / 100, "enhanced class");
        const std::string summary = parse.reply.summary();
        FUZZ_CHECK(summary.size() <= 512, "summary length");
        for (const char c : summary)
            FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f, "printable summary");
        buffer.remove_prefix(parse.consumed);
    }
    return 0;
}
