#include "excel/xls_frame_decoder.h"

#include <algorithm>
#include <cstring>

namespace mailsift::connectors::excel {
namespace {

constexpr std::size_t kReadChunk = 64 * 1024;

std::string typeName(unsigned char type) {
    if (type >= 0x21 && type < 0x7F)
        return std::string("'") + static_cast<char>(type) + "'";
    static const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[type >> 4] + digits[type & 0x0F];
}

}  // namespace

XlsFrameDecoder::XlsFrameDecoder(ByteSource& source, std::size_t maxCellBytes)
    : source_(source), maxCellBytes_(maxCellBytes), buffer_(kReadChunk) {}

bool XlsFrameDecoder::readExactly(char* out, std::size_t size, bool& any) {
    std::size_t done = 0;
    while (done < size) {
        if (bufferStart_ == bufferEnd_) {
            bufferStart_ = 0;
            bufferEnd_ = source_.read(buffer_.data(), buffer_.size());
            if (bufferEnd_ == 0)
                return false;
            if (bufferEnd_ > buffer_.size())
                throw XlsFrameError("the byte source returned more than it was asked for");
        }
        const std::size_t take = std::min(size - done, bufferEnd_ - bufferStart_);
        std::memcpy(out + done, buffer_.data() + bufferStart_, take);
        bufferStart_ += take;
        done += take;
        any = true;
    }
    return true;
}

bool XlsFrameDecoder::atEnd() {
    char extra = 0;
    bool any = false;
    return !readExactly(&extra, 1, any);
}

XlsFrameDecoder::Frame XlsFrameDecoder::next() {
    if (ended_)
        throw XlsFrameError("a frame was asked for after the end frame");
    unsigned char header[kXlsFrameHeaderBytes];
    bool any = false;
    if (!readExactly(reinterpret_cast<char*>(header), sizeof header, any))
        throw XlsFrameError(any ? "the output ends inside a frame header"
                                : "the output ends without an end frame");
    const std::uint32_t length = xls_frame::getU32(header + 1);

    std::size_t maxLength = 0;
    switch (header[0]) {
        case static_cast<unsigned char>(XlsFrameType::row):
            maxLength = 0;
            break;
        case static_cast<unsigned char>(XlsFrameType::cell):
            maxLength = kXlsCellColumnBytes + maxCellBytes_;
            if (length < kXlsCellColumnBytes)
                throw XlsFrameError("a cell frame of " + std::to_string(length) +
                                    " bytes has no column");
            break;
        case static_cast<unsigned char>(XlsFrameType::end):
            maxLength = kXlsEndPayloadBytes;
            if (length != kXlsEndPayloadBytes)
                throw XlsFrameError("an end frame of " + std::to_string(length) +
                                    " bytes (expected " + std::to_string(kXlsEndPayloadBytes) +
                                    ")");
            break;
        default:
            throw XlsFrameError("unknown frame type " + typeName(header[0]));
    }
    if (length > maxLength)
        throw XlsFrameError("a " + typeName(header[0]) + " frame of " + std::to_string(length) +
                            " bytes (at most " + std::to_string(maxLength) + ")");
    payload_.resize(length);
    if (length > 0 && !readExactly(payload_.data(), length, any))
        throw XlsFrameError("the output ends inside a " + typeName(header[0]) + " frame");

    Frame frame;
    frame.type = static_cast<XlsFrameType>(header[0]);
    const auto* bytes = reinterpret_cast<const unsigned char*>(payload_.data());
    switch (frame.type) {
        case XlsFrameType::row:
            if (rows_ == kXlsMaxRows)
                throw XlsFrameError("more than " + std::to_string(kXlsMaxRows) + " rows");
            ++rows_;
            cellSeenInRow_ = false;
            break;
        case XlsFrameType::cell:
            if (rows_ == 0)
                throw XlsFrameError("a cell frame before the first row frame");
            frame.column = static_cast<std::uint16_t>(bytes[0] | bytes[1] << 8);
            if (cellSeenInRow_ && frame.column <= lastColumn_)
                throw XlsFrameError("cell columns out of order in row " + std::to_string(rows_));
            cellSeenInRow_ = true;
            lastColumn_ = frame.column;
            frame.text = std::string_view(payload_).substr(kXlsCellColumnBytes);
            break;
        case XlsFrameType::end:
            if (bytes[0] > static_cast<unsigned char>(XlsOutcome::setupFailed))
                throw XlsFrameError("unknown outcome " + std::to_string(bytes[0]) +
                                    " in the end frame");
            frame.outcome = static_cast<XlsOutcome>(bytes[0]);
            frame.first = xls_frame::getU32(bytes + 1);
            frame.second = xls_frame::getU32(bytes + 5);
            ended_ = true;
            if (!atEnd())
                throw XlsFrameError("bytes follow the end frame");
            break;
    }
    return frame;
}

}  // namespace mailsift::connectors::excel
