#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

#include "excel/zip_entry.h"

namespace Poco {
class InflatingInputStream;
namespace Zip {
class PartialInputStream;
}
}  // namespace Poco

namespace mailsift::connectors::excel {

/// The decompressed bytes of one zip entry, counted as they are read. The stream ends early
/// (EOF) when the entry produces more than its header declared, when the archive's decompressed
/// budget runs out, or when the compressed data is corrupt; check() then throws the matching
/// ConnectorError. Exceptions cannot cross a std::istream cleanly (it turns them into badbit),
/// which is why the failure is kept and thrown by check() after the consumer gives up.
class ZipEntryStream : public std::istream {
  public:
    /// `archive` must be seekable and outlive this stream; `dataStart` is the absolute stream
    /// position of the entry's compressed data. `used` is the archive's running total of
    /// decompressed bytes, which must stay at or below `budget`.
    ZipEntryStream(std::istream& archive, std::streamoff dataStart, const ZipEntry& entry,
                   std::uint64_t& used, std::uint64_t budget);
    ~ZipEntryStream() override;

    /// Throws the ConnectorError that ended the stream early, if any.
    void check() const;

  private:
    enum class Failure { none, corrupt, tooBig, overBudget };

    class Buffer : public std::streambuf {
      public:
        explicit Buffer(ZipEntryStream& owner) : owner_(owner) {}

      protected:
        int_type underflow() override;

      private:
        ZipEntryStream& owner_;
        std::array<char, 16 * 1024> chunk_{};
    };

    ZipEntry entry_;
    std::uint64_t& used_;
    std::uint64_t budget_;
    std::uint64_t produced_ = 0;
    Failure failure_ = Failure::none;
    std::unique_ptr<Poco::Zip::PartialInputStream> raw_;
    std::unique_ptr<Poco::InflatingInputStream> inflater_;
    Buffer buffer_;
};

}  // namespace mailsift::connectors::excel
