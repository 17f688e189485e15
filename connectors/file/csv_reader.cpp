#include "file/csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#include "common/email_column.h"

namespace mailsift::connectors::file {
namespace {

using Kind = ConnectorError::Kind;

enum class State { fieldStart, unquoted, quoted, quoteInQuoted, afterCr };

/// One read: the block buffer, the current field and the record bookkeeping. The hot loops scan
/// runs of plain bytes with a lookup table and copy each run once, so there is no per-byte call.
class CsvParser {
  public:
    CsvParser(std::istream& in, RowSink& sink, const CsvLimits& limits)
        : in_(in), rows_(sink), limits_(limits), buffer_(new char[CsvReader::kBlockBytes]) {}

    void run();

  private:
    bool fill();
    void parse(const char* p);
    void finish();
    void append(const char* from, const char* to) {
        field_.append(from, static_cast<std::size_t>(to - from));
        checkLine(to);
        if (field_.size() > limits_.maxFieldBytes)
            throw ConnectorError(Kind::tooLarge, "line " + std::to_string(recordLine_) +
                                                     " has a field longer than the limit of " +
                                                     std::to_string(limits_.maxFieldBytes) +
                                                     " bytes");
    }
    void checkLine(const char* p) const {
        if (offset(p) - recordStart_ > limits_.maxLineBytes)
            throw ConnectorError(Kind::tooLarge, "line " + std::to_string(recordLine_) +
                                                     " is longer than the limit of " +
                                                     std::to_string(limits_.maxLineBytes) +
                                                     " bytes");
    }
    void endField() {
        rows_.cell(fieldIndex_++, field_);
        field_.clear();
    }
    /// Ends the record whose last byte precedes `next`; false when the sink wants no more rows.
    bool endRecord(const char* next) {
        const bool more = rows_.endRow();
        rows_.beginRow();
        fieldIndex_ = 0;
        recordStart_ = offset(next);
        recordLine_ = line_;
        return more;
    }
    std::size_t offset(const char* p) const {
        return blockStart_ + static_cast<std::size_t>(p - buffer_.get());
    }

    std::istream& in_;
    EmailColumn rows_;
    const CsvLimits& limits_;
    std::unique_ptr<char[]> buffer_;
    std::size_t end_ = 0;         ///< bytes valid in buffer_
    std::size_t blockStart_ = 0;  ///< stream offset of buffer_[0]
    std::array<bool, 256> special_{};
    char delimiter_ = ',';
    State state_ = State::fieldStart;
    std::string field_;  ///< reused for every field
    std::size_t fieldIndex_ = 0;
    std::size_t recordStart_ = 0;  ///< stream offset where the current record began
    std::size_t line_ = 1;         ///< physical line of the read position
    std::size_t recordLine_ = 1;   ///< physical line where the current record began
    std::size_t quoteLine_ = 1;    ///< physical line where the open quoted field began
};

bool CsvParser::fill() {
    blockStart_ += end_;
    in_.read(buffer_.get(), static_cast<std::streamsize>(CsvReader::kBlockBytes));
    end_ = static_cast<std::size_t>(in_.gcount());
    if (in_.bad())
        throw ConnectorError(Kind::badInput, "the file could not be read to the end");
    return end_ > 0;
}

void CsvParser::run() {
    rows_.beginRow();
    if (!fill())
        return;
    const char* start = buffer_.get();
    if (end_ >= 3 && std::memcmp(start, "\xEF\xBB\xBF", 3) == 0)
        start += 3;
    recordStart_ = offset(start);
    delimiter_ = CsvReader::detectDelimiter(
        std::string_view(start, end_ - static_cast<std::size_t>(start - buffer_.get())));
    special_['\n'] = true;
    special_['\r'] = true;
    if (delimiter_ != '\0')
        special_[static_cast<unsigned char>(delimiter_)] = true;
    parse(start);
}

void CsvParser::parse(const char* p) {
    const char* e = buffer_.get() + end_;
    for (;;) {
        if (p == e) {
            checkLine(p);
            if (!fill())
                break;
            p = buffer_.get();
            e = p + end_;
            continue;
        }
        switch (state_) {
            case State::fieldStart:
                if (*p == '"') {
                    state_ = State::quoted;
                    quoteLine_ = line_;
                    ++p;
                    continue;
                }
                state_ = State::unquoted;
                [[fallthrough]];
            case State::unquoted: {
                const char* run = p;
                while (p < e && !special_[static_cast<unsigned char>(*p)])
                    ++p;
                append(run, p);
                if (p == e)
                    continue;
                const char c = *p++;
                endField();
                if (c != '\n' && c != '\r') {  // the delimiter
                    state_ = State::fieldStart;
                    continue;
                }
                ++line_;
                state_ = c == '\r' ? State::afterCr : State::fieldStart;
                if (!endRecord(p))
                    return;
                continue;
            }
            case State::quoted: {
                const void* quote = std::memchr(p, '"', static_cast<std::size_t>(e - p));
                const char* stop = quote != nullptr ? static_cast<const char*>(quote) : e;
                line_ += static_cast<std::size_t>(std::count(p, stop, '\n'));
                append(p, stop);
                p = stop;
                if (quote != nullptr) {
                    ++p;
                    state_ = State::quoteInQuoted;
                }
                continue;
            }
            case State::quoteInQuoted:
                if (*p == '"') {
                    append(p, p + 1);
                    ++p;
                    state_ = State::quoted;
                } else {
                    state_ = State::unquoted;  // lenient: text after the closing quote is kept
                }
                continue;
            case State::afterCr:
                if (*p == '\n') {
                    ++p;
                    recordStart_ = offset(p);
                }
                state_ = State::fieldStart;
                continue;
        }
    }
    finish();
}

void CsvParser::finish() {
    const char* end = buffer_.get() + end_;
    switch (state_) {
        case State::quoted:
            throw ConnectorError(Kind::badInput, "line " + std::to_string(quoteLine_) +
                                                     " opens a quoted field that is never closed");
        case State::unquoted:
        case State::quoteInQuoted:
            endField();
            endRecord(end);
            break;
        case State::fieldStart:
            if (fieldIndex_ > 0) {  // the last line ends with a delimiter
                endField();
                endRecord(end);
            }
            break;
        case State::afterCr:
            break;
    }
}

}  // namespace

void CsvReader::read(std::istream& in, RowSink& sink) const {
    CsvParser parser(in, sink, limits_);
    parser.run();
}

char CsvReader::detectDelimiter(std::string_view firstLine) {
    std::size_t i = 0;
    while (i < firstLine.size() && (firstLine[i] == '\r' || firstLine[i] == '\n'))
        ++i;
    constexpr std::array<char, 4> kCandidates{',', ';', '\t', '|'};
    std::array<std::size_t, 4> counts{};
    // As in the parser, a quote opens a quoted field only at the start of a field (after any
    // candidate delimiter, since the real one is not known yet).
    bool inQuotes = false;
    bool atFieldStart = true;
    for (; i < firstLine.size(); ++i) {
        const char c = firstLine[i];
        if (inQuotes) {
            if (c == '"') {
                if (i + 1 < firstLine.size() && firstLine[i + 1] == '"')
                    ++i;
                else
                    inQuotes = false;
            }
            continue;
        }
        if (c == '\r' || c == '\n')
            break;
        if (c == '"' && atFieldStart) {
            inQuotes = true;
            atFieldStart = false;
            continue;
        }
        atFieldStart = false;
        for (std::size_t k = 0; k < kCandidates.size(); ++k) {
            if (c == kCandidates[k]) {
                ++counts[k];
                atFieldStart = true;
            }
        }
    }
    std::size_t best = 0;
    for (std::size_t k = 1; k < kCandidates.size(); ++k) {
        if (counts[k] > counts[best])
            best = k;
    }
    return counts[best] == 0 ? '\0' : kCandidates[best];
}

}  // namespace mailsift::connectors::file
