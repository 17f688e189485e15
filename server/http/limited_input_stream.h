#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>

namespace mailsift::http {

/// How far the body of the request in progress has come, for the connection watchdog (which reads
/// it from its own thread to cut clients that trickle a body).
struct BodyProgress {
    std::atomic<std::int64_t> bytes{0};  ///< taken from the connection so far
    std::atomic<bool> complete{false};   ///< the end of the body was reached
};

/// Reads a request body through a byte count: once more than `limit` bytes have come in, reading
/// throws HttpError 413 ("The request body is larger than the limit of N bytes."). This covers
/// chunked bodies, whose size is not known in advance. The stream has badbit exceptions enabled so
/// that the 413 reaches the dispatcher even through code that reads with istream operators.
/// One request thread uses it; it does not own `source`.
class LimitedInputStream : public std::istream {
  public:
    /// `progress` (may be null) is updated as bytes arrive; it must outlive the stream.
    LimitedInputStream(std::istream& source, std::int64_t limit, BodyProgress* progress = nullptr);

    /// True once the limit was crossed (the 413 was thrown).
    bool limitExceeded() const { return buffer_.limitExceeded(); }
    /// Bytes taken from the source so far.
    std::int64_t bytesRead() const { return buffer_.bytesRead(); }

  private:
    class CountingBuffer : public std::streambuf {
      public:
        CountingBuffer(std::istream& source, std::int64_t limit, BodyProgress* progress);
        bool limitExceeded() const { return exceeded_; }
        std::int64_t bytesRead() const { return total_; }

      protected:
        int_type underflow() override;

      private:
        std::istream& source_;
        std::int64_t limit_;
        BodyProgress* progress_;
        std::int64_t total_ = 0;
        bool exceeded_ = false;
        std::array<char, 8192> chunk_{};
    };

    CountingBuffer buffer_;
};

/// The 413 sentence for a body over `limit` bytes (shared by the Content-Length check).
std::string bodyTooLargeMessage(std::int64_t limit);

}  // namespace mailsift::http
