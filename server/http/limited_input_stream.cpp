#include "http/limited_input_stream.h"

#include <algorithm>
#include <string>

#include "http/http_error.h"

namespace mailsift::http {

std::string bodyTooLargeMessage(std::int64_t limit) {
    return "The request body is larger than the limit of " + std::to_string(limit) + " bytes.";
}

LimitedInputStream::CountingBuffer::CountingBuffer(std::istream& source, std::int64_t limit,
                                                   BodyProgress* progress)
    : source_(source), limit_(limit), progress_(progress) {}

LimitedInputStream::CountingBuffer::int_type LimitedInputStream::CountingBuffer::underflow() {
    if (gptr() < egptr()) {
        return traits_type::to_int_type(*gptr());
    }
    if (exceeded_) {
        throw HttpError(413, bodyTooLargeMessage(limit_));
    }
    // Ask for at most one byte beyond the limit: enough to notice it, no more.
    const std::int64_t allowance = std::max<std::int64_t>(limit_ - total_ + 1, 1);
    const auto wanted =
        static_cast<std::streamsize>(std::min<std::int64_t>(allowance, chunk_.size()));
    // Take what has arrived (at least one byte, waiting for it) rather than a full chunk, so that
    // the progress reported follows the bytes as they come, as the watchdog's floor needs.
    std::streamsize got = 0;
    if (source_.peek() != std::istream::traits_type::eof())
        got = source_.readsome(chunk_.data(), wanted);
    if (got <= 0) {
        if (progress_ != nullptr)
            progress_->complete = true;
        return traits_type::eof();
    }
    total_ += got;
    if (progress_ != nullptr)
        progress_->bytes = total_;
    if (total_ > limit_) {
        exceeded_ = true;
        throw HttpError(413, bodyTooLargeMessage(limit_));
    }
    setg(chunk_.data(), chunk_.data(), chunk_.data() + got);
    return traits_type::to_int_type(*gptr());
}

LimitedInputStream::LimitedInputStream(std::istream& source, std::int64_t limit,
                                       BodyProgress* progress)
    : std::istream(nullptr), buffer_(source, limit, progress) {
    rdbuf(&buffer_);
    exceptions(std::ios::badbit);
}

}  // namespace mailsift::http
