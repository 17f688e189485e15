#include "http/redaction.h"

#include <regex>

namespace mailsift::http {

std::string redactCredentials(std::string text) {
    static const std::regex kUserInfo(R"(([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@)");
    return std::regex_replace(text, kUserInfo, "$1***@");
}

}  // namespace mailsift::http
