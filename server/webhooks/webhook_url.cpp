#include "webhooks/webhook_url.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace mailsift::webhooks {

std::optional<std::string> urlProblem(const std::string& url) {
    if (url.empty()) {
        return "url must not be empty: give the http or https address that receives the events.";
    }
    if (url.size() > kMaxUrlLength) {
        return "url is too long: use at most " + std::to_string(kMaxUrlLength) + " characters.";
    }
    for (const char c : url) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) {
            return "url must not contain spaces or control characters.";
        }
    }
    Poco::URI uri;
    try {
        uri = Poco::URI(url);
    } catch (const Poco::Exception&) {
        return "url is not a valid URL: give an absolute http or https address.";
    }
    if (uri.getScheme() != "http" && uri.getScheme() != "https") {
        return "url must start with http:// or https://.";
    }
    if (uri.getHost().empty()) {
        return "url must name a host, as in https://hooks.example.com/mailsift.";
    }
    if (!uri.getUserInfo().empty()) {
        return "url must not contain a user name or password; authenticate with the signature.";
    }
    if (!uri.getFragment().empty()) {
        return "url must not contain a fragment (#...).";
    }
    return std::nullopt;
}

}  // namespace mailsift::webhooks
