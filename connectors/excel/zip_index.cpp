#include "excel/zip_index.h"

#include <algorithm>
#include <array>
#include <vector>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {
namespace {

using Kind = ConnectorError::Kind;

constexpr std::size_t kEndRecordBytes = 22;
constexpr std::size_t kCentralHeaderBytes = 46;
constexpr std::size_t kLocalHeaderBytes = 30;
constexpr std::uint64_t kRatioFloor = 1024 * 1024;  ///< smaller entries are not ratio-checked

ConnectorError invalid(const std::string& why) {
    return ConnectorError(Kind::badInput, "the file is not a valid .xlsx workbook: " + why);
}

std::uint16_t u16(const char* p) {
    return static_cast<std::uint16_t>(static_cast<unsigned char>(p[0]) |
                                      (static_cast<unsigned char>(p[1]) << 8));
}

std::uint32_t u32(const char* p) {
    return static_cast<std::uint32_t>(u16(p)) | (static_cast<std::uint32_t>(u16(p + 2)) << 16);
}

bool hasSignature(const char* p, std::uint32_t signature) {
    return u32(p) == signature;
}

}  // namespace

ZipIndex::ZipIndex(std::istream& in, const ZipLimits& limits) : in_(in), limits_(limits) {
    in_.clear();
    base_ = in_.tellg();
    in_.seekg(0, std::ios::end);
    const std::streamoff end = in_.tellg();
    if (base_ < 0 || end < base_)
        throw ConnectorError(Kind::badInput, "the file could not be read");
    archiveBytes_ = static_cast<std::uint64_t>(end - base_);
    if (archiveBytes_ < kEndRecordBytes)
        throw invalid("it is too short");

    // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
    const std::size_t tailBytes =
        static_cast<std::size_t>(std::min<std::uint64_t>(archiveBytes_, kEndRecordBytes + 65535));
    std::vector<char> tail(tailBytes);
    readAt(archiveBytes_ - tailBytes, tail.data(), tailBytes);
    std::size_t at = tailBytes - kEndRecordBytes + 1;
    const char* record = nullptr;
    while (at-- > 0) {
        if (hasSignature(tail.data() + at, 0x06054b50)) {
            record = tail.data() + at;
            break;
        }
    }
    if (record == nullptr)
        throw invalid("its zip directory is missing");
    const std::uint64_t recordOffset = archiveBytes_ - tailBytes + at;
    const std::uint16_t disk = u16(record + 4);
    const std::uint16_t directoryDisk = u16(record + 6);
    const std::uint16_t count = u16(record + 10);
    const std::uint32_t directorySize = u32(record + 12);
    const std::uint32_t directoryOffset = u32(record + 16);
    if (count == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF)
        throw invalid("ZIP64 archives are not supported");
    if (disk != 0 || directoryDisk != 0)
        throw invalid("multi-part zip archives are not supported");
    if (count > limits_.maxEntries)
        throw ConnectorError(Kind::tooLarge, "the workbook holds " + std::to_string(count) +
                                                 " files, more than the limit of " +
                                                 std::to_string(limits_.maxEntries));
    if (std::uint64_t{directoryOffset} + directorySize > recordOffset)
        throw invalid("its zip directory lies outside the file");
    readCentralDirectory(directoryOffset, directorySize, count);
}

void ZipIndex::readCentralDirectory(std::uint64_t offset, std::uint64_t size, std::uint64_t count) {
    const std::uint64_t end = offset + size;
    std::array<char, kCentralHeaderBytes> header{};
    std::string name;
    for (std::uint64_t i = 0; i < count; ++i) {
        if (offset + kCentralHeaderBytes > end)
            throw invalid("its zip directory is cut short");
        readAt(offset, header.data(), header.size());
        if (!hasSignature(header.data(), 0x02014b50))
            throw invalid("its zip directory is damaged");
        const std::uint16_t nameBytes = u16(header.data() + 28);
        const std::uint64_t recordBytes =
            kCentralHeaderBytes + nameBytes + u16(header.data() + 30) + u16(header.data() + 32);
        if (offset + recordBytes > end)
            throw invalid("its zip directory is cut short");
        name.resize(nameBytes);
        readAt(offset + kCentralHeaderBytes, name.data(), nameBytes);
        ZipEntry entry;
        entry.name = name;
        entry.flags = u16(header.data() + 8);
        entry.method = u16(header.data() + 10);
        entry.compressedSize = u32(header.data() + 20);
        entry.uncompressedSize = u32(header.data() + 24);
        entry.localHeaderOffset = u32(header.data() + 42);
        if (entry.compressedSize == 0xFFFFFFFF || entry.uncompressedSize == 0xFFFFFFFF ||
            entry.localHeaderOffset == 0xFFFFFFFF)
            throw invalid("ZIP64 archives are not supported");
        entries_.emplace(entry.name, std::move(entry));  // a repeated name keeps the first
        offset += recordBytes;
    }
}

void ZipIndex::readAt(std::uint64_t offset, char* into, std::size_t size) {
    if (offset > archiveBytes_ || size > archiveBytes_ - offset)
        throw invalid("a zip record lies outside the file");
    in_.clear();
    in_.seekg(base_ + static_cast<std::streamoff>(offset));
    in_.read(into, static_cast<std::streamsize>(size));
    if (static_cast<std::size_t>(in_.gcount()) != size)
        throw invalid("a zip record could not be read");
}

const ZipEntry* ZipIndex::find(std::string_view name) const {
    const auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
}

std::unique_ptr<ZipEntryStream> ZipIndex::open(const ZipEntry& entry) {
    if ((entry.flags & 1U) != 0)
        throw ConnectorError(Kind::badInput,
                             "the workbook is encrypted; save it without a password");
    if (entry.method != 0 && entry.method != 8)
        throw invalid(entry.name + " uses zip compression method " + std::to_string(entry.method) +
                      ", which is not supported");
    if (entry.method == 0 && entry.compressedSize != entry.uncompressedSize)
        throw invalid(entry.name + " has inconsistent sizes");
    if (entry.uncompressedSize >
        limits_.maxDecompressedBytes - std::min(used_, limits_.maxDecompressedBytes))
        throw ConnectorError(Kind::tooLarge, "the workbook is larger than the limit of " +
                                                 std::to_string(limits_.maxDecompressedBytes) +
                                                 " bytes once decompressed");
    if (entry.uncompressedSize >= kRatioFloor &&
        entry.uncompressedSize / std::max<std::uint64_t>(entry.compressedSize, 1) >
            limits_.maxCompressionRatio)
        throw ConnectorError(Kind::tooLarge, "the workbook's " + entry.name +
                                                 " is compressed more than " +
                                                 std::to_string(limits_.maxCompressionRatio) +
                                                 " times, which looks like a zip bomb");
    std::array<char, kLocalHeaderBytes> header{};
    readAt(entry.localHeaderOffset, header.data(), header.size());
    if (!hasSignature(header.data(), 0x04034b50))
        throw invalid(entry.name + " has no zip header");
    const std::uint64_t dataStart = entry.localHeaderOffset + kLocalHeaderBytes +
                                    u16(header.data() + 26) + u16(header.data() + 28);
    if (dataStart > archiveBytes_ || entry.compressedSize > archiveBytes_ - dataStart)
        throw invalid(entry.name + " lies outside the file");
    return std::make_unique<ZipEntryStream>(in_, base_ + static_cast<std::streamoff>(dataStart),
                                            entry, used_, limits_.maxDecompressedBytes);
}

}  // namespace mailsift::connectors::excel
