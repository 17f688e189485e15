#include "http/query_params.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

namespace mailsift::http {

namespace {

std::string decodeComponent(std::string_view raw) {
    std::string text(raw);
    std::replace(text.begin(), text.end(), '+', ' ');  // form encoding; a real '+' comes as %2B
    std::string decoded;
    try {
        Poco::URI::decode(text, decoded);
    } catch (const Poco::Exception&) {
        decoded = text;  // a stray '%' is taken literally rather than rejected
    }
    return decoded;
}

}  // namespace

QueryParams QueryParams::parse(std::string_view rawQuery) {
    QueryParams result;
    std::size_t start = 0;
    while (start <= rawQuery.size()) {
        std::size_t end = rawQuery.find('&', start);
        if (end == std::string_view::npos) {
            end = rawQuery.size();
        }
        const std::string_view pair = rawQuery.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string_view name = pair.substr(0, eq);
            const std::string_view value =
                eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            result.pairs_.emplace_back(decodeComponent(name), decodeComponent(value));
        }
        start = end + 1;
    }
    return result;
}

std::optional<std::string> QueryParams::get(std::string_view name) const {
    for (const auto& [key, value] : pairs_) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

std::vector<std::string> QueryParams::all(std::string_view name) const {
    std::vector<std::string> values;
    for (const auto& [key, value] : pairs_) {
        if (key == name) {
            values.push_back(value);
        }
    }
    return values;
}

}  // namespace mailsift::http
