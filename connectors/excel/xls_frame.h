#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailsift::connectors::excel {

/// The format mailsift-xls-reader (xls_child/) writes on its standard output and XlsReader reads:
/// a sequence of frames, each a 1-byte type, a 4-byte little-endian payload length and the
/// payload.
///
/// - `R` row:  empty payload; starts the next row of the first sheet (every row, blank ones too).
/// - `C` cell: 2-byte little-endian column (from 0), then the cell's text; only after an `R`,
///             columns strictly increasing within a row, text at most maxCellBytes.
/// - `E` end:  exactly 9 bytes: the outcome (XlsOutcome), then two 4-byte little-endian numbers
///             whose meaning depends on it (a libfreexl error code, a 1-based row). Always last.
///
/// The child never sends sentences: the server writes every message a user sees, so nothing the
/// child (that is, the upload) controls reaches a user except cell values.
enum class XlsFrameType : std::uint8_t { row = 'R', cell = 'C', end = 'E' };

/// What the child reports in its end frame.
enum class XlsOutcome : std::uint8_t {
    ok = 0,
    openFailed = 1,   ///< first = libfreexl's error code
    password = 2,     ///< the workbook is password-protected
    noSheet = 3,      ///< no first sheet, or its dimensions cannot be read
    cellFailed = 4,   ///< first = libfreexl's error code, second = 1-based row
    cellTooLong = 5,  ///< second = 1-based row
    setupFailed = 6,  ///< bad arguments or the confinement could not be set up
};

inline constexpr std::size_t kXlsFrameHeaderBytes = 5;
inline constexpr std::size_t kXlsEndPayloadBytes = 9;
inline constexpr std::size_t kXlsCellColumnBytes = 2;
/// An .xls sheet has at most 65,536 rows (BIFF8).
inline constexpr std::size_t kXlsMaxRows = 65536;

namespace xls_frame {

inline void putU32(std::string& out, std::uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

inline std::uint32_t getU32(const unsigned char* bytes) {
    return static_cast<std::uint32_t>(bytes[0]) | static_cast<std::uint32_t>(bytes[1]) << 8 |
           static_cast<std::uint32_t>(bytes[2]) << 16 | static_cast<std::uint32_t>(bytes[3]) << 24;
}

inline void appendHeader(std::string& out, XlsFrameType type, std::size_t payloadBytes) {
    out.push_back(static_cast<char>(type));
    putU32(out, static_cast<std::uint32_t>(payloadBytes));
}

inline void appendRow(std::string& out) {
    appendHeader(out, XlsFrameType::row, 0);
}

inline void appendCell(std::string& out, std::uint16_t column, std::string_view text) {
    appendHeader(out, XlsFrameType::cell, kXlsCellColumnBytes + text.size());
    out.push_back(static_cast<char>(column & 0xFF));
    out.push_back(static_cast<char>(column >> 8));
    out.append(text);
}

inline void appendEnd(std::string& out, XlsOutcome outcome, std::uint32_t first = 0,
                      std::uint32_t second = 0) {
    appendHeader(out, XlsFrameType::end, kXlsEndPayloadBytes);
    out.push_back(static_cast<char>(outcome));
    putU32(out, first);
    putU32(out, second);
}

}  // namespace xls_frame
}  // namespace mailsift::connectors::excel
