// The multipart/form-data reader (server/http) on arbitrary bytes. Input layout: one control
// byte, then the Content-Type header value up to the first LF, then the body. When the control
// byte's top bit is set, a preamble of about 64 KiB goes first, so that boundaries and header
// lines straddle the reader's buffer refills. Every malformed body must end in an HttpError
// (400 or 413), never in a crash, a hang or another exception.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "http/http_error.h"
#include "http/multipart_reader.h"

using mailsift::http::HttpError;
using mailsift::http::MultipartPart;
using mailsift::http::MultipartReader;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    const std::uint8_t control = data[0];
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    const std::size_t newline = rest.find('\n');
    const std::string contentType(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);

    const std::optional<std::string> boundary = MultipartReader::boundaryOf(contentType);
    if (!boundary)
        return 0;
    FUZZ_CHECK(!boundary->empty() && boundary->size() <= 200, "boundary length");

    std::string body;
    if ((control & 0x80) != 0) {
        const std::size_t preamble = 64 * 1024 - 96 + (control & 0x7f);
        body.assign(preamble - 2, 'x');
        body += "\r\n";
    }
    body.append(rest);
    std::istringstream in(body);
    // The preamble counts against the part limit too, so the padded runs get a larger one.
    const std::int64_t partLimit = (control & 0x80) != 0 ? 96 * 1024 : 1024;
    MultipartReader reader(in, *boundary, partLimit);
    try {
        MultipartPart part;
        for (int parts = 0; reader.next(part); ++parts) {
            FUZZ_CHECK(parts < 100000, "parts end");
            if (part.isFile) {
                char chunk[97];
                std::size_t total = 0;
                while (reader.content().read(chunk, sizeof chunk) || reader.content().gcount() > 0)
                    total += static_cast<std::size_t>(reader.content().gcount());
                FUZZ_CHECK(total <= static_cast<std::size_t>(partLimit), "part limit");
            } else {
                const std::string text = reader.readText();
                FUZZ_CHECK(text.size() <= static_cast<std::size_t>(partLimit), "part limit");
            }
            reader.throwIfFailed();
        }
    } catch (const HttpError& error) {
        FUZZ_CHECK(error.status() == 400 || error.status() == 413, "a 400 or a 413");
    }
    return 0;
}
