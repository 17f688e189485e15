#include "http/multipart_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>

#include "http/http_error.h"

namespace mailsift::http {
namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;
constexpr std::size_t kMaxHeaderLine = 8 * 1024;
constexpr int kMaxHeaderLines = 64;

HttpError malformed(const std::string& what) {
    return HttpError(400, "The multipart/form-data body is malformed (" + what +
                              "); send the form as your HTTP library builds it.");
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// Splits `header` (a Content-Type or Content-Disposition value) into its lower-cased first token
/// and its `key=value` parameters, quoted values unquoted.
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> parseParameters(
    std::string_view header) {
    std::vector<std::string> fields;
    std::string current;
    bool quoted = false;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const char c = header[i];
        if (quoted && c == '\\' && i + 1 < header.size()) {
            current += header[++i];
        } else if (c == '"') {
            quoted = !quoted;
            current += c;
        } else if (c == ';' && !quoted) {
            fields.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    fields.push_back(current);
    std::vector<std::pair<std::string, std::string>> parameters;
    for (std::size_t i = 1; i < fields.size(); ++i) {
        const std::string_view field = trim(fields[i]);
        const auto equals = field.find('=');
        if (equals == std::string_view::npos)
            continue;
        std::string_view value = trim(field.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        parameters.emplace_back(lower(trim(field.substr(0, equals))), std::string(value));
    }
    return {lower(trim(fields[0])), std::move(parameters)};
}

}  // namespace

MultipartReader::MultipartReader(std::istream& body, std::string boundary, std::int64_t partLimit)
    : body_(body),
      delimiter_("\r\n--" + boundary),
      partLimit_(partLimit),
      buffer_(kBufferBytes),
      partBuffer_(*this),
      content_(&partBuffer_) {
    // The body starts with "--boundary"; a CRLF in front makes the first one look like the rest.
    buffer_[0] = '\r';
    buffer_[1] = '\n';
    end_ = 2;
}

std::optional<std::string> MultipartReader::boundaryOf(const std::string& contentType) {
    const auto [type, parameters] = parseParameters(contentType);
    if (type != "multipart/form-data")
        return std::nullopt;
    for (const auto& [key, value] : parameters) {
        if (key == "boundary" && !value.empty() && value.size() <= 200)
            return value;
    }
    return std::nullopt;
}

bool MultipartReader::fill(std::size_t need) {
    if (end_ - begin_ >= need)
        return true;
    if (bodyEnded_)
        return false;
    if (begin_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (need > buffer_.size())
        buffer_.resize(need);
    while (end_ < need && !bodyEnded_) {
        std::streamsize got = 0;
        try {
            body_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
            got = body_.gcount();
        } catch (...) {
            sourceError_ = std::current_exception();
            failure_ = Failure::source;
            bodyEnded_ = true;
        }
        end_ += static_cast<std::size_t>(std::max<std::streamsize>(got, 0));
        if (!body_.good())
            bodyEnded_ = true;
    }
    return end_ - begin_ >= need;
}

std::pair<char*, std::size_t> MultipartReader::nextContent() {
    if (partEnded_)
        return {nullptr, 0};
    fill(delimiter_.size());
    const std::string_view unread(buffer_.data() + begin_, end_ - begin_);
    const auto found = unread.find(delimiter_);
    std::size_t take = 0;
    if (found != std::string_view::npos) {
        take = found;
    } else if (bodyEnded_) {
        if (failure_ == Failure::none)
            failure_ = Failure::truncated;
        take = 0;
    } else {
        take = unread.size() - (delimiter_.size() - 1);
    }
    if (take == 0) {
        partEnded_ = true;
        return {nullptr, 0};
    }
    partBytes_ += static_cast<std::int64_t>(take);
    if (partLimit_ > 0 && partBytes_ > partLimit_) {
        failure_ = Failure::partTooLarge;
        partEnded_ = true;
        return {nullptr, 0};
    }
    char* data = buffer_.data() + begin_;
    begin_ += take;
    return {data, take};
}

MultipartReader::PartBuffer::int_type MultipartReader::PartBuffer::underflow() {
    const auto [data, size] = reader_.nextContent();
    if (size == 0)
        return traits_type::eof();
    setg(data, data, data + size);
    return traits_type::to_int_type(*data);
}

void MultipartReader::skipRest() {
    while (nextContent().second > 0) {
    }
    partBuffer_.reset();
}

std::string MultipartReader::readText() {
    std::string text;
    std::array<char, 4096> chunk{};
    while (content_.read(chunk.data(), chunk.size()) || content_.gcount() > 0)
        text.append(chunk.data(), static_cast<std::size_t>(content_.gcount()));
    content_.clear();
    return text;
}

std::string MultipartReader::readLine() {
    std::size_t searched = 0;
    while (true) {
        const std::string_view unread(buffer_.data() + begin_, end_ - begin_);
        const auto newline = unread.find('\n', searched);
        if (newline != std::string_view::npos) {
            std::string_view line = unread.substr(0, newline);
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            std::string result(line);
            begin_ += newline + 1;
            return result;
        }
        if (unread.size() > kMaxHeaderLine)
            throw malformed("a part header line is longer than 8 KiB");
        searched = unread.size();
        if (!fill(unread.size() + 1)) {
            throwIfFailed();
            throw malformed("the body ends inside a part's headers");
        }
    }
}

void MultipartReader::parseHeaders(MultipartPart& part) {
    part = MultipartPart{};
    for (int lines = 0;; ++lines) {
        if (lines > kMaxHeaderLines)
            throw malformed("a part has too many header lines");
        const std::string line = readLine();
        if (line.empty())
            return;
        const auto colon = line.find(':');
        if (colon == std::string::npos)
            throw malformed("a part header line has no colon");
        const std::string name = lower(trim(std::string_view(line).substr(0, colon)));
        const std::string_view value = trim(std::string_view(line).substr(colon + 1));
        if (name == "content-disposition") {
            const auto [type, parameters] = parseParameters(value);
            for (const auto& [key, text] : parameters) {
                if (key == "name") {
                    part.name = text;
                } else if (key == "filename") {
                    part.fileName = text;
                    part.isFile = true;
                }
            }
        } else if (name == "content-type") {
            part.contentType = std::string(value);
        }
    }
}

bool MultipartReader::next(MultipartPart& part) {
    throwIfFailed();
    if (finished_)
        return false;
    if (!started_) {
        started_ = true;
        partEnded_ = false;  // the preamble, skipped like a part's content
        partBytes_ = 0;
    }
    skipRest();
    throwIfFailed();
    if (!fill(delimiter_.size() + 2)) {
        throwIfFailed();
        throw malformed("it ends without a closing boundary");
    }
    begin_ += delimiter_.size();
    if (buffer_[begin_] == '-' && buffer_[begin_ + 1] == '-') {
        finished_ = true;
        drainEpilogue();
        return false;
    }
    if (trim(readLine()).size() != 0)
        throw malformed("a boundary line has text after the boundary");
    parseHeaders(part);
    partEnded_ = false;
    partBytes_ = 0;
    partBuffer_.reset();
    content_.clear();
    return true;
}

void MultipartReader::drainEpilogue() {
    // Whatever follows the closing boundary (usually a CRLF) must not be left in the connection,
    // where it would be read as the start of the next request.
    begin_ = end_;
    try {
        while (body_.good())
            body_.ignore(static_cast<std::streamsize>(kBufferBytes));
    } catch (...) {
        // Past the closing boundary nothing of the form is lost; the dispatcher sees the limit.
    }
}

void MultipartReader::throwIfFailed() const {
    switch (failure_) {
        case Failure::none:
            return;
        case Failure::truncated:
            throw HttpError(400,
                            "The multipart/form-data body ended before its closing boundary; "
                            "send the whole form again.");
        case Failure::partTooLarge:
            throw HttpError(413, "The uploaded file is larger than the limit of " +
                                     std::to_string(partLimit_) +
                                     " bytes; split the list into smaller files.");
        case Failure::source:
            std::rethrow_exception(sourceError_);
    }
}

}  // namespace mailsift::http
