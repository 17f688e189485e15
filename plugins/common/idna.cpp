#include "common/idna.h"

#include <idn2.h>

#include <cstdint>
#include <string>

namespace mailsift::stages {

bool domainToAscii(std::string_view domain, std::string& out) {
    // libidn2 wants a NUL-terminated string; an embedded NUL would silently truncate the name.
    if (domain.find('\0') != std::string_view::npos)
        return false;
    const std::string input(domain);
    std::uint8_t* converted = nullptr;
    const int rc = idn2_lookup_u8(reinterpret_cast<const std::uint8_t*>(input.c_str()), &converted,
                                  IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
    if (rc != IDN2_OK) {
        idn2_free(converted);
        return false;
    }
    out.assign(reinterpret_cast<const char*>(converted));
    idn2_free(converted);
    return true;
}

}  // namespace mailsift::stages
