#include "engine/result_json.h"

namespace mailsift::engine {
namespace {

/// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t utf8Length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned minimum = 0;
    unsigned code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, minimum = 0x80, code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, minimum = 0x800, code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, minimum = 0x10000, code = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u)
            return 0;
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    if (code < minimum || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return length;
}

/// True for the bytes a JSON string holds as they are: printable ASCII except '"' and '\\'.
constexpr bool plainAscii(unsigned char c) {
    return c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
}

/// `,"name":` and the value; `name` is one of our own keys, so it needs no escaping.
void appendField(std::string& out, std::string_view name, std::string_view value) {
    out += ",\"";
    out += name;
    out += "\":";
    appendJsonString(out, value);
}

}  // namespace

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        // Runs of plain characters (nearly every byte of an address or a reply) in one append.
        std::size_t run = i;
        while (run < text.size() && plainAscii(static_cast<unsigned char>(text[run])))
            ++run;
        if (run > i) {
            out.append(text, i, run - i);
            i = run;
            continue;
        }
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x80) {
            if (const std::size_t n = utf8Length(text, i)) {
                out.append(text, i, n);
                i += n;
            } else {
                out += "\\ufffd";
                ++i;
            }
            continue;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c == 0x7F) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        ++i;
    }
    out += '"';
}

void appendResultJson(std::string& out, const engine::ValidationResult& result) {
    out += "{\"syntax\":";
    appendJsonString(out, result.syntax);
    appendField(out, "mx", result.mx);
    appendField(out, "mailbox", result.mailbox);
    out += ",\"score\":";
    out += std::to_string(result.score);
    appendField(out, "classifier", result.classifier);
    out += ",\"description\":[";
    for (std::size_t i = 0; i < result.description.size(); ++i) {
        if (i > 0)
            out += ',';
        appendJsonString(out, result.description[i]);
    }
    out += ']';
    appendField(out, "smtpResponse", result.smtpResponse);
    if (!result.normalized.empty())
        appendField(out, "normalized", result.normalized);
    if (!result.suggestion.empty())
        appendField(out, "suggestion", result.suggestion);
    out += result.free ? ",\"free\":true" : ",\"free\":false";
    if (!result.mxHost.empty())
        appendField(out, "mxHost", result.mxHost);
    out += '}';
}

}  // namespace mailsift::engine
