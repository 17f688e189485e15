#include "excel/zip_entry_stream.h"

#include <Poco/InflatingStream.h>
#include <Poco/Zip/PartialStream.h>

#include "mailsift/connector.h"

namespace mailsift::connectors::excel {

ZipEntryStream::ZipEntryStream(std::istream& archive, std::streamoff dataStart,
                               const ZipEntry& entry, std::uint64_t& used, std::uint64_t budget)
    : std::istream(nullptr), entry_(entry), used_(used), budget_(budget), buffer_(*this) {
    archive.clear();
    const auto from = std::ios::pos_type(dataStart);
    const auto to =
        std::ios::pos_type(dataStart + static_cast<std::streamoff>(entry.compressedSize));
    raw_ = std::make_unique<Poco::Zip::PartialInputStream>(archive, from, to, true);
    if (entry.method == 8)
        inflater_ = std::make_unique<Poco::InflatingInputStream>(*raw_, -15);  // raw deflate
    rdbuf(&buffer_);
}

ZipEntryStream::~ZipEntryStream() = default;

ZipEntryStream::Buffer::int_type ZipEntryStream::Buffer::underflow() {
    ZipEntryStream& owner = owner_;
    if (owner.failure_ != Failure::none)
        return traits_type::eof();
    std::istream& source =
        owner.inflater_ ? static_cast<std::istream&>(*owner.inflater_) : *owner.raw_;
    std::streamsize got = 0;
    try {
        source.read(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
        got = source.gcount();
    } catch (...) {
        owner.failure_ = Failure::corrupt;
        return traits_type::eof();
    }
    if (source.bad()) {
        owner.failure_ = Failure::corrupt;
        return traits_type::eof();
    }
    if (got <= 0) {
        if (owner.produced_ != owner.entry_.uncompressedSize)
            owner.failure_ = Failure::corrupt;  // cut short
        return traits_type::eof();
    }
    const auto bytes = static_cast<std::uint64_t>(got);
    owner.produced_ += bytes;
    if (owner.produced_ > owner.entry_.uncompressedSize) {
        owner.failure_ = Failure::tooBig;
        return traits_type::eof();
    }
    owner.used_ += bytes;
    if (owner.used_ > owner.budget_) {
        owner.failure_ = Failure::overBudget;
        return traits_type::eof();
    }
    setg(chunk_.data(), chunk_.data(), chunk_.data() + got);
    return traits_type::to_int_type(chunk_[0]);
}

void ZipEntryStream::check() const {
    using Kind = ConnectorError::Kind;
    switch (failure_) {
        case Failure::none:
            return;
        case Failure::corrupt:
            throw ConnectorError(Kind::badInput, "the file is not a valid .xlsx workbook: " +
                                                     entry_.name + " is damaged");
        case Failure::tooBig:
            throw ConnectorError(Kind::tooLarge,
                                 "the file is not a valid .xlsx workbook: " + entry_.name +
                                     " is larger than its zip header says");
        case Failure::overBudget:
            throw ConnectorError(Kind::tooLarge, "the workbook is larger than the limit of " +
                                                     std::to_string(budget_) +
                                                     " bytes once decompressed");
    }
}

}  // namespace mailsift::connectors::excel
