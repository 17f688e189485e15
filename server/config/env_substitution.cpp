#include "config/env_substitution.h"

#include <cstdlib>
#include <stdexcept>

namespace mailsift::config {

std::string substituteEnv(const std::string& value, const EnvLookup& lookup) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c != '$' || i + 1 >= value.size()) {
            out += c;
            continue;
        }
        if (value[i + 1] == '$') {
            out += '$';
            ++i;
            continue;
        }
        if (value[i + 1] != '{') {
            out += c;
            continue;
        }
        const std::size_t close = value.find('}', i + 2);
        if (close == std::string::npos) {
            throw std::invalid_argument("'${' at position " + std::to_string(i) +
                                        " is not closed with '}'");
        }
        std::string inner = value.substr(i + 2, close - i - 2);
        std::optional<std::string> fallback;
        if (const std::size_t dash = inner.find(":-"); dash != std::string::npos) {
            fallback = inner.substr(dash + 2);
            inner.resize(dash);
        }
        if (inner.empty())
            throw std::invalid_argument("'${}' names no environment variable");
        std::optional<std::string> found = lookup(inner);
        if (found && found->empty() && fallback)
            found.reset();  // ${X:-d}: empty counts as unset
        if (!found && !fallback) {
            throw std::invalid_argument("environment variable " + inner +
                                        " is not set; set it or write ${" + inner + ":-default}");
        }
        out += found ? *found : *fallback;
        i = close;
    }
    return out;
}

std::optional<std::string> processEnv(const std::string& name) {
    if (const char* v = std::getenv(name.c_str()))
        return std::string(v);
    return std::nullopt;
}

}  // namespace mailsift::config
