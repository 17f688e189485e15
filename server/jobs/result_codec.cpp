#include "jobs/result_codec.h"

#include <string>
#include <string_view>

#include "engine/result_json.h"

namespace mailsift::jobs::result_codec {
namespace {

using engine::appendJsonString;

std::string extraJsonOf(const engine::ValidationResult& result) {
    std::string json = "{";
    auto member = [&json](std::string_view name) {
        if (json.size() > 1)
            json += ',';
        appendJsonString(json, name);
        json += ':';
    };
    if (!result.normalized.empty()) {
        member("normalized");
        appendJsonString(json, result.normalized);
    }
    if (!result.suggestion.empty()) {
        member("suggestion");
        appendJsonString(json, result.suggestion);
    }
    member("free");
    json += result.free ? "true" : "false";
    if (!result.mxHost.empty()) {
        member("mxHost");
        appendJsonString(json, result.mxHost);
    }
    json += '}';
    return json;
}

std::string joinCodes(const std::vector<std::string>& codes) {
    std::string joined;
    for (const std::string& code : codes) {
        if (!joined.empty())
            joined += ';';
        joined += code;
    }
    return joined;
}

std::vector<std::string> splitCodes(const std::string& joined) {
    std::vector<std::string> codes;
    std::size_t start = 0;
    while (start < joined.size()) {
        std::size_t end = joined.find(';', start);
        if (end == std::string::npos)
            end = joined.size();
        if (end > start)
            codes.push_back(joined.substr(start, end - start));
        start = end + 1;
    }
    return codes;
}

/// Reads a JSON string literal at text[i] (just after its opening quote) as written by
/// appendJsonString; false for anything else. Advances `i` past the closing quote.
bool readString(std::string_view text, std::size_t& i, std::string& out) {
    out.clear();
    while (i < text.size()) {
        const std::size_t special = text.find_first_of("\"\\", i);
        if (special == std::string_view::npos)
            return false;
        out.append(text, i, special - i);
        i = special;
        const char c = text[i++];
        if (c == '"')
            return true;
        if (i >= text.size())
            return false;
        const char e = text[i++];
        if (e == '"' || e == '\\' || e == '/') {
            out += e;
        } else if (e == 'u' && i + 4 <= text.size()) {
            unsigned code = 0;
            for (int k = 0; k < 4; ++k) {
                const char h = text[i++];
                code <<= 4;
                if (h >= '0' && h <= '9')
                    code |= static_cast<unsigned>(h - '0');
                else if (h >= 'a' && h <= 'f')
                    code |= static_cast<unsigned>(h - 'a' + 10);
                else if (h >= 'A' && h <= 'F')
                    code |= static_cast<unsigned>(h - 'A' + 10);
                else
                    return false;
            }
            if (code < 0x80) {
                out += static_cast<char>(code);
            } else if (code < 0x800) {
                out += static_cast<char>(0xC0 | (code >> 6));
                out += static_cast<char>(0x80 | (code & 0x3F));
            } else {
                out += static_cast<char>(0xE0 | (code >> 12));
                out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
                out += static_cast<char>(0x80 | (code & 0x3F));
            }
        } else {
            return false;
        }
    }
    return false;
}

/// Reads the flat object extraJsonOf writes (string and boolean members). This runs for every row
/// of every result page, so it is a small reader of our own format rather than a general parser;
/// anything it does not expect (a row written by a broken build) drops the extension fields.
void readExtras(const std::string& json, engine::ValidationResult& result) {
    std::string normalized;
    std::string suggestion;
    std::string mxHost;
    bool free = false;
    std::string key;
    std::string ignored;
    const std::string_view text(json);
    if (text.size() < 2 || text.front() != '{' || text.back() != '}')
        return;
    std::size_t i = 1;
    while (i < text.size() - 1) {
        if (text[i] != '"' || !readString(text, ++i, key) || i >= text.size() || text[i] != ':')
            return;
        ++i;
        if (i < text.size() && text[i] == '"') {
            // Straight into the field the key names: one copy of each value.
            std::string& into = key == "normalized"   ? normalized
                                : key == "suggestion" ? suggestion
                                : key == "mxHost"     ? mxHost
                                                      : ignored;
            if (!readString(text, ++i, into))
                return;
        } else if (text.compare(i, 4, "true") == 0) {
            i += 4;
            free = free || key == "free";
        } else if (text.compare(i, 5, "false") == 0) {
            i += 5;
        } else {
            return;
        }
        if (text[i] == ',')
            ++i;
        else if (i != text.size() - 1)
            return;
    }
    result.normalized = std::move(normalized);
    result.suggestion = std::move(suggestion);
    result.free = free;
    result.mxHost = std::move(mxHost);
}

}  // namespace

store::RowResult toRow(std::int64_t pos, const engine::ValidationResult& result) {
    store::RowResult row;
    row.pos = pos;
    row.syntax = result.syntax;
    row.mx = result.mx;
    row.mailbox = result.mailbox;
    row.score = result.score;
    row.classifier = result.classifier;
    row.description = joinCodes(result.description);
    row.smtpResponse = result.smtpResponse;
    row.extraJson = extraJsonOf(result);
    return row;
}

engine::ValidationResult fromRow(const store::RowResult& row) {
    engine::ValidationResult result;
    result.syntax = row.syntax;
    result.mx = row.mx;
    result.mailbox = row.mailbox;
    result.score = row.score;
    result.classifier = row.classifier;
    result.description = splitCodes(row.description);
    result.smtpResponse = row.smtpResponse;
    readExtras(row.extraJson, result);
    return result;
}

}  // namespace mailsift::jobs::result_codec
