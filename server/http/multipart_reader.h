#pragma once

#include <cstdint>
#include <exception>
#include <istream>
#include <optional>
#include <streambuf>
#include <string>
#include <vector>

namespace mailsift::http {

/// The headers of one part of a multipart/form-data body that the form needs.
struct MultipartPart {
    std::string name;      ///< the form field (Content-Disposition name)
    std::string fileName;  ///< Content-Disposition filename, "" when none
    bool isFile = false;   ///< a filename parameter was present
    std::string contentType;
};

/// Reads a multipart/form-data body (RFC 7578) part by part while it arrives: each part's content
/// is a stream that ends at the part's boundary, so a file part can go straight into a connector
/// without being held in memory. Boundaries are found with a block search over a 64 KiB buffer.
///
/// A part's content stream never throws. When the body ends early, a part grows past
/// `partLimit` bytes, or reading the underlying stream throws (body limit, client gone), the
/// content stream simply ends; failed() turns true and throwIfFailed() raises the matching
/// HttpError (400, 413) or the original exception. next() throws those directly, and HttpError
/// 400 for a malformed body. One request thread uses it; it does not own `body`.
class MultipartReader {
  public:
    MultipartReader(std::istream& body, std::string boundary, std::int64_t partLimit);
    MultipartReader(const MultipartReader&) = delete;
    MultipartReader& operator=(const MultipartReader&) = delete;

    /// Moves to the next part (skipping the rest of the current one) and fills `part`; false
    /// after the closing boundary.
    bool next(MultipartPart& part);
    /// The current part's content, from where reading left off.
    std::istream& content() { return content_; }
    /// The rest of the current part as a string (for text fields; bounded by partLimit).
    std::string readText();

    bool failed() const { return failure_ != Failure::none; }
    /// Throws what ended reading early; does nothing when nothing did.
    void throwIfFailed() const;

    /// The boundary parameter of a multipart/form-data Content-Type; nullopt when the type is
    /// not multipart/form-data or has no boundary.
    static std::optional<std::string> boundaryOf(const std::string& contentType);

  private:
    enum class Failure { none, truncated, partTooLarge, source };

    class PartBuffer : public std::streambuf {
      public:
        explicit PartBuffer(MultipartReader& reader) : reader_(reader) {}
        void reset() { setg(nullptr, nullptr, nullptr); }

      protected:
        int_type underflow() override;

      private:
        MultipartReader& reader_;
    };

    /// Makes at least `need` unread bytes available; false when the body ended first.
    bool fill(std::size_t need);
    /// The next run of content bytes of the current part; size 0 at its end.
    std::pair<char*, std::size_t> nextContent();
    void skipRest();
    void drainEpilogue();
    std::string readLine();
    void parseHeaders(MultipartPart& part);

    std::istream& body_;
    std::string delimiter_;  ///< CRLF "--" boundary
    std::int64_t partLimit_;
    std::vector<char> buffer_;
    std::size_t begin_ = 0;  ///< first unread byte
    std::size_t end_ = 0;    ///< one past the last byte read
    bool bodyEnded_ = false;
    bool started_ = false;
    bool finished_ = false;
    bool partEnded_ = true;
    std::int64_t partBytes_ = 0;
    Failure failure_ = Failure::none;
    std::exception_ptr sourceError_;
    PartBuffer partBuffer_;
    std::istream content_;
};

}  // namespace mailsift::http
