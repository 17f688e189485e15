#include "probe/smtp_reply.h"

namespace mailsift::stages::smtp {
namespace {

constexpr std::size_t kMaxSummaryBytes = 512;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

/// Reads 1..3 digits at `pos`; returns false when there are none or more than three.
bool readNumber(std::string_view text, std::size_t& pos, int& value) {
    std::size_t digits = 0;
    value = 0;
    while (pos < text.size() && isDigit(text[pos])) {
        if (++digits > 3)
            return false;
        value = value * 10 + (text[pos] - '0');
        ++pos;
    }
    return digits > 0;
}

/// `text` without a leading enhanced code equal to `status` (and the space after it).
std::string_view withoutStatus(std::string_view text, const std::optional<EnhancedStatus>& status) {
    if (!status)
        return text;
    const std::optional<EnhancedStatus> own = parseEnhancedStatus(text);
    if (!own || !(*own == *status))
        return text;
    const std::size_t space = text.find(' ');
    return space == std::string_view::npos ? std::string_view() : text.substr(space + 1);
}

void appendPrintable(std::string& out, std::string_view text) {
    for (char c : text) {
        if (out.size() >= kMaxSummaryBytes)
            return;
        const auto byte = static_cast<unsigned char>(c);
        out.push_back(byte < 0x20 || byte == 0x7f ? '?' : c);
    }
}

}  // namespace

std::optional<EnhancedStatus> parseEnhancedStatus(std::string_view text) {
    EnhancedStatus status;
    std::size_t pos = 0;
    if (text.empty() || (text[0] != '2' && text[0] != '4' && text[0] != '5'))
        return std::nullopt;
    status.klass = text[0] - '0';
    pos = 1;
    if (pos >= text.size() || text[pos] != '.')
        return std::nullopt;
    ++pos;
    if (!readNumber(text, pos, status.subject))
        return std::nullopt;
    if (pos >= text.size() || text[pos] != '.')
        return std::nullopt;
    ++pos;
    if (!readNumber(text, pos, status.detail))
        return std::nullopt;
    if (pos < text.size() && text[pos] != ' ' && text[pos] != '\t')
        return std::nullopt;
    return status;
}

std::string SmtpReply::summary() const {
    std::string out = std::to_string(code);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::string_view text = lines[i];
        if (i > 0)
            text = withoutStatus(text, enhanced);
        if (text.empty())
            continue;
        if (out.size() < kMaxSummaryBytes)
            out.push_back(' ');
        appendPrintable(out, text);
    }
    return out;
}

ReplyParse parseReply(std::string_view buffer) {
    ReplyParse result;
    std::size_t pos = 0;
    while (true) {
        const std::size_t newline = buffer.find('\n', pos);
        if (newline == std::string_view::npos) {
            result.status = buffer.size() - pos > kMaxReplyLineBytes
                                ? ReplyParse::Status::malformed
                                : ReplyParse::Status::incomplete;
            return result;
        }
        std::string_view line = buffer.substr(pos, newline - pos);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.size() > kMaxReplyLineBytes || line.size() < 3 || !isDigit(line[0]) ||
            !isDigit(line[1]) || !isDigit(line[2]) || line[0] < '2' || line[0] > '5') {
            result.status = ReplyParse::Status::malformed;
            return result;
        }
        const int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        if (result.reply.lines.empty()) {
            result.reply.code = code;
        } else if (code != result.reply.code) {
            result.status = ReplyParse::Status::malformed;
            return result;
        }
        const char separator = line.size() > 3 ? line[3] : ' ';
        if (separator != ' ' && separator != '-') {
            result.status = ReplyParse::Status::malformed;
            return result;
        }
        const std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view();
        if (result.reply.lines.size() >= kMaxReplyLines) {
            result.status = ReplyParse::Status::malformed;
            return result;
        }
        result.reply.lines.emplace_back(text);
        pos = newline + 1;
        if (separator == ' ')
            break;
    }
    const std::optional<EnhancedStatus> enhanced = parseEnhancedStatus(result.reply.lines.front());
    if (enhanced && enhanced->klass == result.reply.code / 100)
        result.reply.enhanced = enhanced;
    result.status = ReplyParse::Status::complete;
    result.consumed = pos;
    return result;
}

}  // namespace mailsift::stages::smtp
