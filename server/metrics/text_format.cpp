#include "metrics/text_format.h"

#include <charconv>
#include <cmath>

namespace mailsift::metrics::text_format {

namespace {

bool isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace

bool isValidMetricName(std::string_view name) {
    if (name.empty()) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool ok = isAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && isAsciiDigit(c));
        if (!ok) {
            return false;
        }
    }
    return true;
}

bool isValidLabelName(std::string_view name) {
    if (name.empty() || name.starts_with("__")) {
        return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool ok = isAsciiLetter(c) || c == '_' || (i > 0 && isAsciiDigit(c));
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string escapeHelp(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string escapeLabelValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string formatLabels(const Labels& labels, std::string_view extraName,
                         std::string_view extraValue) {
    if (labels.empty() && extraName.empty()) {
        return {};
    }
    std::string out = "{";
    bool first = true;
    const auto append = [&](std::string_view name, std::string_view value) {
        if (!first) {
            out += ',';
        }
        first = false;
        out += name;
        out += "=\"";
        out += escapeLabelValue(value);
        out += '"';
    };
    for (const auto& [name, value] : labels) {
        append(name, value);
    }
    if (!extraName.empty()) {
        append(extraName, extraValue);
    }
    out += '}';
    return out;
}

std::string formatValue(double value) {
    if (std::isnan(value)) {
        return "NaN";
    }
    if (std::isinf(value)) {
        return value > 0 ? "+Inf" : "-Inf";
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, result.ptr);
}

}  // namespace mailsift::metrics::text_format
