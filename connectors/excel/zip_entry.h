#pragma once

#include <cstdint>
#include <string>

namespace mailsift::connectors::excel {

/// One file of a zip archive as its central directory describes it.
struct ZipEntry {
    std::string name;
    std::uint16_t flags = 0;   ///< general-purpose bits; bit 0 = encrypted
    std::uint16_t method = 0;  ///< 0 stored, 8 deflated
    std::uint64_t compressedSize = 0;
    std::uint64_t uncompressedSize = 0;
    std::uint64_t localHeaderOffset = 0;
};

/// Limits against zip bombs; passing one is ConnectorError::Kind::tooLarge.
struct ZipLimits {
    std::uint64_t maxDecompressedBytes = 256ULL * 1024 * 1024;  ///< all entries read, together
    std::uint64_t maxEntries = 10000;                           ///< files in the archive
    std::uint64_t maxCompressionRatio = 200;  ///< per entry of 1 MiB or more, declared sizes
};

}  // namespace mailsift::connectors::excel
