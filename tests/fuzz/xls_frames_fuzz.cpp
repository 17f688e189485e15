// XlsFrameDecoder on arbitrary bytes: what the server reads from mailsift-xls-reader, the process
// that a hostile .xls may have taken over. Promises: only XlsFrameError, never a cell over the
// limit, never more rows than an .xls sheet has, nothing accepted after the end frame, and no
// allocation driven by a length field (libFuzzer's -rss_limit_mb and -malloc_limit_mb catch that).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "excel/xls_frame_decoder.h"
#include "fuzz_check.h"

namespace {

using mailsift::connectors::excel::XlsFrameDecoder;
using mailsift::connectors::excel::XlsFrameType;

constexpr std::size_t kMaxCell = 64;

/// The input in pieces whose sizes the first byte chooses, as a pipe hands them out.
class Source final : public mailsift::connectors::excel::ByteSource {
  public:
    Source(const std::uint8_t* data, std::size_t size, std::size_t piece)
        : data_(data), size_(size), piece_(piece) {}
    std::size_t read(char* buffer, std::size_t size) override {
        const std::size_t take = std::min({size, piece_, size_ - position_});
        std::memcpy(buffer, data_ + position_, take);
        position_ += take;
        return take;
    }

  private:
    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t piece_;
    std::size_t position_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0)
        return 0;
    Source source(data + 1, size - 1, 1 + data[0] % 64);
    XlsFrameDecoder decoder(source, kMaxCell);
    std::size_t rows = 0;
    try {
        for (;;) {
            const XlsFrameDecoder::Frame frame = decoder.next();
            if (frame.type == XlsFrameType::row)
                ++rows;
            FUZZ_CHECK(frame.text.size() <= kMaxCell, "a cell over the limit");
            FUZZ_CHECK(rows <= mailsift::connectors::excel::kXlsMaxRows, "too many rows");
            FUZZ_CHECK(frame.type != XlsFrameType::cell || rows > 0, "a cell outside a row");
            if (frame.type == XlsFrameType::end) {
                bool refused = false;
                try {
                    decoder.next();
                } catch (const mailsift::connectors::excel::XlsFrameError&) {
                    refused = true;
                }
                FUZZ_CHECK(refused, "a frame after the end frame");
                break;
            }
        }
    } catch (const mailsift::connectors::excel::XlsFrameError& error) {
        FUZZ_CHECK(error.what()[0] != '\0', "the error has a message");
    }
    return 0;
}
