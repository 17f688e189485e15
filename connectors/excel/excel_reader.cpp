#include "excel/excel_reader.h"

#include <array>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>

#include "excel/spool_file.h"

namespace mailsift::connectors::excel {
namespace {

enum class Format { xlsx, xls, unknown };

/// True when `in` can seek: its position is known and it can jump to the end and back.
bool seekable(std::istream& in) {
    const std::streampos start = in.tellg();
    if (start == std::streampos(-1))
        return false;
    in.seekg(0, std::ios::end);
    const bool ok = in.tellg() != std::streampos(-1);
    in.clear();
    in.seekg(start);
    return ok && in.good();
}

/// Looks at the first bytes of a seekable stream and puts the position back.
Format sniff(std::istream& in) {
    const std::streampos start = in.tellg();
    std::array<char, 4> magic{};
    in.read(magic.data(), magic.size());
    const bool complete = in.gcount() == static_cast<std::streamsize>(magic.size());
    in.clear();
    in.seekg(start);
    if (!complete)
        return Format::unknown;
    if (std::memcmp(magic.data(), "PK\x03\x04", 4) == 0)
        return Format::xlsx;
    if (std::memcmp(magic.data(), "\xD0\xCF\x11\xE0", 4) == 0)
        return Format::xls;
    return Format::unknown;
}

}  // namespace

void ExcelReader::read(std::istream& in, RowSink& sink) const {
    std::optional<SpoolFile> spool;
    std::ifstream spooled;
    std::istream* source = &in;
    if (!seekable(in)) {
        spool.emplace(in, spoolFolder_);
        spooled.open(spool->path(), std::ios::binary);
        if (!spooled)
            throw ConnectorError(ConnectorError::Kind::unavailable,
                                 "the upload could not be stored for reading");
        source = &spooled;
    }
    switch (sniff(*source)) {
        case Format::xlsx:
            XlsxReader(limits_).read(*source, sink);
            return;
        case Format::xls:
            if (!spool)
                spool.emplace(*source, spoolFolder_);
            xls_.read(spool->path(), sink);
            return;
        case Format::unknown:
            break;
    }
    throw ConnectorError(ConnectorError::Kind::badInput, "The file is neither .xlsx nor .xls");
}

}  // namespace mailsift::connectors::excel
