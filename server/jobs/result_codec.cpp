#include "jobs/result_codec.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <string_view>

namespace mailsift::jobs::result_codec {
namespace {

void appendJsonString(std::string& out, std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            out += "\\u00";
            out += kHex[byte >> 4];
            out += kHex[byte & 0x0f];
        } else {
            out += c;
        }
    }
    out += '"';
}

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

void readExtras(const std::string& json, engine::ValidationResult& result) {
    if (json.empty() || json == "{}")
        return;
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(json).extract<Poco::JSON::Object::Ptr>();
        if (!object)
            return;
        result.normalized = object->optValue<std::string>("normalized", "");
        result.suggestion = object->optValue<std::string>("suggestion", "");
        result.free = object->optValue<bool>("free", false);
        result.mxHost = object->optValue<std::string>("mxHost", "");
    } catch (const Poco::Exception&) {
        // A row written by a broken build: keep the contract fields, drop the extensions.
    }
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
