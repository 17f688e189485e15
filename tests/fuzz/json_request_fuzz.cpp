// The decoding of the sync validate body (server/http/validate_request: Poco's JSON parser and
// our checks) on arbitrary bytes: the addresses or an HttpError 400, nothing else.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_check.h"
#include "http/http_error.h"
#include "http/validate_request.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream body(std::string(reinterpret_cast<const char*>(data), size));
    constexpr int kMaxEmails = 100;
    try {
        const auto emails = mailsift::http::readValidateRequest(body, kMaxEmails);
        FUZZ_CHECK(!emails.empty() && emails.size() <= kMaxEmails, "1 to 100 addresses");
    } catch (const mailsift::http::HttpError& error) {
        FUZZ_CHECK(error.status() == 400, "a 400");
    }
    return 0;
}
