#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "excel/xls_frame.h"

namespace mailsift::connectors::excel {

/// Where the decoder's bytes come from (the child's standard output, or a buffer in tests).
class ByteSource {
  public:
    /// Reads up to `size` bytes into `buffer`; returns how many, 0 only at the end of the data.
    virtual std::size_t read(char* buffer, std::size_t size) = 0;

  protected:
    ~ByteSource() = default;
};

/// Anything the frame format (xls_frame.h) does not allow: a truncated frame, an unknown type, a
/// length over its limit, a cell outside a row, columns out of order, too many rows, a missing
/// end frame or bytes after it. The message is for the log, not for users.
class XlsFrameError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Reads the frames of one child run strictly: it never allocates more than the largest frame the
/// format allows (2 + maxCellBytes bytes), whatever a length field says. Not thread-safe; one
/// object per read.
class XlsFrameDecoder {
  public:
    struct Frame {
        XlsFrameType type = XlsFrameType::end;
        std::uint16_t column = 0;             ///< cell
        std::string_view text;                ///< cell; valid until the next call
        XlsOutcome outcome = XlsOutcome::ok;  ///< end
        std::uint32_t first = 0;              ///< end
        std::uint32_t second = 0;             ///< end
    };

    XlsFrameDecoder(ByteSource& source, std::size_t maxCellBytes);

    /// The next frame. After the end frame it has checked that the data ends there; calling it
    /// again is an error. Throws XlsFrameError.
    Frame next();

    std::size_t rows() const { return rows_; }

  private:
    /// Fills `out` with exactly `size` bytes; false when the data ends first (after `any`).
    bool readExactly(char* out, std::size_t size, bool& any);
    bool atEnd();

    ByteSource& source_;
    std::size_t maxCellBytes_;
    std::vector<char> buffer_;     ///< bytes read from the source, not yet used
    std::size_t bufferStart_ = 0;  ///< first unused byte of buffer_
    std::size_t bufferEnd_ = 0;
    std::string payload_;
    std::size_t rows_ = 0;
    bool ended_ = false;
    bool cellSeenInRow_ = false;
    std::uint16_t lastColumn_ = 0;
};

}  // namespace mailsift::connectors::excel
