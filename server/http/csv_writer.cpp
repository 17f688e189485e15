#include "http/csv_writer.h"

#include <charconv>

namespace mailsift::http {
namespace {

bool runsAsFormula(std::string_view text) {
    if (text.empty())
        return false;
    const char first = text.front();
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
           first == '\r';
}

bool needsQuotes(std::string_view text) {
    // One pass over the text (find_first_of with a set calls memchr on the set once per char,
    // which showed in download profiles).
    for (const char c : text) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            return true;
    }
    return false;
}

}  // namespace

CsvWriter::CsvWriter(std::ostream& out, std::size_t bufferBytes)
    : out_(out), bufferBytes_(bufferBytes) {
    buffer_.reserve(bufferBytes_ + 1024);
}

CsvWriter::~CsvWriter() {
    try {
        flush();
    } catch (...) {
        // The connection is gone; nothing more can be sent.
    }
}

void CsvWriter::separate() {
    if (rowStarted_)
        buffer_ += ',';
    rowStarted_ = true;
}

void CsvWriter::cell(std::string_view text) {
    separate();
    const bool formula = runsAsFormula(text);
    if (!needsQuotes(text)) {
        if (formula)
            buffer_ += '\'';
        buffer_.append(text);
        return;
    }
    buffer_ += '"';
    if (formula)
        buffer_ += '\'';
    for (const char c : text) {
        if (c == '"')
            buffer_ += '"';
        buffer_ += c;
    }
    buffer_ += '"';
}

void CsvWriter::cell(long long number) {
    separate();
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number);
    buffer_.append(digits, ec == std::errc() ? static_cast<std::size_t>(end - digits) : 0);
}

void CsvWriter::endRow() {
    buffer_ += "\r\n";
    rowStarted_ = false;
    if (buffer_.size() >= bufferBytes_)
        flush();
}

bool CsvWriter::flush() {
    if (!buffer_.empty() && out_.good()) {
        out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    }
    buffer_.clear();
    return out_.good();
}

}  // namespace mailsift::http
