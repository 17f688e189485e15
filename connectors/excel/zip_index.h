#pragma once

#include <cstdint>
#include <istream>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "excel/zip_entry.h"
#include "excel/zip_entry_stream.h"

namespace mailsift::connectors::excel {

/// The central directory of a zip archive on a seekable stream, read once up front, and the entry
/// streams that decompress one file at a time under the zip-bomb limits (ZipLimits).
///
/// Only the end-of-central-directory record and the central directory are parsed here, so the
/// number of entries is known (and refused past the limit) before anything is allocated for them.
/// Data comes from Poco::Zip::PartialInputStream (the compressed range) and
/// Poco::InflatingInputStream (raw deflate). Every malformed structure is ConnectorError badInput
/// ("the file is not a valid .xlsx workbook: ..."); ZIP64, multi-disk and encrypted archives are
/// refused. Not thread-safe: one index per read, one open entry at a time.
class ZipIndex {
  public:
    /// `in` must be seekable, positioned at the archive's first byte, and outlive the index.
    ZipIndex(std::istream& in, const ZipLimits& limits);

    /// The entry with this exact name, or nullptr.
    const ZipEntry* find(std::string_view name) const;
    std::size_t size() const { return entries_.size(); }

    /// Opens `entry` for reading after checking its declared size against the remaining budget and
    /// the compression ratio (tooLarge). The returned stream must be destroyed before the next
    /// open.
    std::unique_ptr<ZipEntryStream> open(const ZipEntry& entry);

  private:
    void readCentralDirectory(std::uint64_t offset, std::uint64_t size, std::uint64_t count);
    /// Reads exactly `size` bytes at archive offset `offset`, or throws badInput.
    void readAt(std::uint64_t offset, char* into, std::size_t size);

    std::istream& in_;
    ZipLimits limits_;
    std::streamoff base_ = 0;  ///< stream position of the archive's first byte
    std::uint64_t archiveBytes_ = 0;
    std::uint64_t used_ = 0;  ///< decompressed bytes handed out so far
    std::map<std::string, ZipEntry, std::less<>> entries_;
};

}  // namespace mailsift::connectors::excel
