// The address syntax parser (plugins/syntax) on arbitrary bytes, with both option sets: it must
// never crash or throw, and what it accepts must respect the RFC length limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "syntax/address_parser.h"

using namespace mailsift::stages::syntax;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (const SyntaxOptions options : {SyntaxOptions{}, SyntaxOptions{false, true}}) {
        const ParseResult result = parseAddress(input, options);
        FUZZ_CHECK(!describe(result.error).empty(), "every error has a description");
        if (!result.ok())
            continue;
        FUZZ_CHECK(!result.local.empty() && result.local.size() <= kMaxLocalBytes, "local size");
        FUZZ_CHECK(!result.domain.empty() && result.domain.size() <= kMaxDomainBytes,
                   "domain size");
        FUZZ_CHECK(result.local.size() + 1 + result.domain.size() <= kMaxAddressBytes,
                   "address size");
        FUZZ_CHECK(result.local.data() >= input.data() &&
                       result.local.data() + result.local.size() <= input.data() + input.size(),
                   "local is a view into the input");
        FUZZ_CHECK(options.allowUtf8Local || !result.utf8Local, "UTF-8 local part refused");
    }
    return 0;
}
