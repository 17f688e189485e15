// XlsFrameDecoder: what the server reads from mailsift-xls-reader is checked frame by frame, so a
// child that a hostile .xls has subverted can do no more than end its own upload with an error.
#include "excel/xls_frame_decoder.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

namespace mailsift::connectors::excel {
namespace {

/// Hands out `data` in pieces of at most `piece` bytes.
class StringSource final : public ByteSource {
  public:
    explicit StringSource(std::string data, std::size_t piece = 1 << 20)
        : data_(std::move(data)), piece_(piece) {}
    std::size_t read(char* buffer, std::size_t size) override {
        const std::size_t take = std::min({size, piece_, data_.size() - position_});
        std::memcpy(buffer, data_.data() + position_, take);
        position_ += take;
        return take;
    }

  private:
    std::string data_;
    std::size_t piece_;
    std::size_t position_ = 0;
};

struct Decoded {
    std::vector<std::string> events;  ///< "R", "C<col>=<text>", "E<outcome>/<first>/<second>"
    std::string error;                ///< XlsFrameError's message, "" when none
};

Decoded decode(const std::string& bytes, std::size_t maxCellBytes = 16,
               std::size_t piece = 1 << 20) {
    StringSource source(bytes, piece);
    XlsFrameDecoder decoder(source, maxCellBytes);
    Decoded out;
    try {
        for (;;) {
            const auto frame = decoder.next();
            if (frame.type == XlsFrameType::row) {
                out.events.emplace_back("R");
            } else if (frame.type == XlsFrameType::cell) {
                out.events.push_back("C" + std::to_string(frame.column) + "=" +
                                     std::string(frame.text));
            } else {
                out.events.push_back("E" + std::to_string(static_cast<int>(frame.outcome)) + "/" +
                                     std::to_string(frame.first) + "/" +
                                     std::to_string(frame.second));
                break;
            }
        }
    } catch (const XlsFrameError& error) {
        out.error = error.what();
    }
    return out;
}

std::string header(char type, std::uint32_t length) {
    std::string out(1, type);
    xls_frame::putU32(out, length);
    return out;
}

std::string sample() {
    std::string out;
    xls_frame::appendRow(out);
    xls_frame::appendCell(out, 0, "email");
    xls_frame::appendCell(out, 300, "x");
    xls_frame::appendRow(out);
    xls_frame::appendRow(out);
    xls_frame::appendCell(out, 2, "ann@example.com");
    xls_frame::appendEnd(out, XlsOutcome::ok);
    return out;
}

const std::vector<std::string> kSampleEvents = {"R", "C0=email",           "C300=x", "R",
                                                "R", "C2=ann@example.com", "E0/0/0"};

TEST(XlsFrameDecoder, ReadsRowsCellsAndTheEndInAnyPieces) {
    for (const std::size_t piece : {std::size_t(1), std::size_t(3), std::size_t(1) << 20}) {
        const Decoded decoded = decode(sample(), 16, piece);
        EXPECT_EQ(decoded.error, "") << "piece " << piece;
        EXPECT_EQ(decoded.events, kSampleEvents) << "piece " << piece;
    }
    std::string failed;
    xls_frame::appendEnd(failed, XlsOutcome::cellFailed, 7, 65536);
    EXPECT_EQ(decode(failed).events, std::vector<std::string>{"E4/7/65536"});
}

TEST(XlsFrameDecoder, EveryTruncationIsAnError) {
    const std::string whole = sample();
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        const Decoded decoded = decode(whole.substr(0, cut));
        EXPECT_NE(decoded.error, "") << "cut at " << cut;
        EXPECT_TRUE(decoded.events.empty() || decoded.events.back()[0] != 'E') << "cut at " << cut;
    }
    EXPECT_EQ(decode("").error, "the output ends without an end frame");
    EXPECT_EQ(decode(std::string("R\0\0", 3)).error, "the output ends inside a frame header");
    EXPECT_EQ(decode(header('C', 5) + "\x01").error, "the output ends inside a 'C' frame");
}

TEST(XlsFrameDecoder, LengthsOverTheirLimitsAreRefusedBeforeReading) {
    // A cell of exactly maxCellBytes is fine; one byte more is not, and neither is 4 GiB (which
    // would be an allocation of that size if the length were trusted).
    std::string exact;
    xls_frame::appendRow(exact);
    xls_frame::appendCell(exact, 1, std::string(16, 'a'));
    xls_frame::appendEnd(exact, XlsOutcome::ok);
    EXPECT_EQ(decode(exact).error, "");

    std::string over;
    xls_frame::appendRow(over);
    xls_frame::appendCell(over, 1, std::string(17, 'a'));
    EXPECT_EQ(decode(over).error, "a 'C' frame of 19 bytes (at most 18)");
    EXPECT_EQ(decode(header('R', 0) + header('C', 0xFFFFFFFF)).error,
              "a 'C' frame of 4294967295 bytes (at most 18)");
    EXPECT_EQ(decode(header('R', 1) + "x").error, "a 'R' frame of 1 bytes (at most 0)");
    EXPECT_EQ(decode(header('R', 0) + header('C', 1) + "x").error,
              "a cell frame of 1 bytes has no column");
    EXPECT_EQ(decode(header('E', 10) + std::string(10, '\0')).error,
              "an end frame of 10 bytes (expected 9)");
    EXPECT_EQ(decode(header('E', 8) + std::string(8, '\0')).error,
              "an end frame of 8 bytes (expected 9)");
}

TEST(XlsFrameDecoder, UnknownTypesAndOutcomesAreErrors) {
    EXPECT_EQ(decode(header('X', 0)).error, "unknown frame type 'X'");
    EXPECT_EQ(decode(header('\0', 0)).error, "unknown frame type 0x00");
    EXPECT_EQ(decode(header('r', 0)).error, "unknown frame type 'r'");
    EXPECT_EQ(decode(header('E', 9) + "\x07" + std::string(8, '\0')).error,
              "unknown outcome 7 in the end frame");
}

TEST(XlsFrameDecoder, TheOrderOfFramesIsChecked) {
    std::string cellFirst;
    xls_frame::appendCell(cellFirst, 0, "a");
    EXPECT_EQ(decode(cellFirst).error, "a cell frame before the first row frame");

    std::string backwards;
    xls_frame::appendRow(backwards);
    xls_frame::appendCell(backwards, 3, "a");
    xls_frame::appendCell(backwards, 3, "b");
    EXPECT_EQ(decode(backwards).error, "cell columns out of order in row 1");
    // Columns start again in the next row.
    std::string nextRow;
    xls_frame::appendRow(nextRow);
    xls_frame::appendCell(nextRow, 3, "a");
    xls_frame::appendRow(nextRow);
    xls_frame::appendCell(nextRow, 0, "b");
    xls_frame::appendEnd(nextRow, XlsOutcome::ok);
    EXPECT_EQ(decode(nextRow).error, "");

    std::string trailing = sample() + "R";
    EXPECT_EQ(decode(trailing).error, "bytes follow the end frame");
}

TEST(XlsFrameDecoder, AtMostTheRowsOfAnXlsSheet) {
    std::string rows;
    for (std::size_t i = 0; i < kXlsMaxRows; ++i)
        xls_frame::appendRow(rows);
    std::string fits = rows;
    xls_frame::appendEnd(fits, XlsOutcome::ok);
    EXPECT_EQ(decode(fits).error, "");
    xls_frame::appendRow(rows);
    EXPECT_EQ(decode(rows).error, "more than 65536 rows");
}

TEST(XlsFrameDecoder, GarbageNeverDecodesToAnEnd) {
    // What a subverted child might print instead of frames: text, random bytes, a valid-looking
    // start followed by junk. None of it may reach an end frame.
    const std::vector<std::string> garbage = {
        "hello world\n", std::string(100, '\0'), std::string(5000, '\xFF'),
        std::string("R\0\0\0\0C\x02\0\0\0\0\0E\x09\0\0\0", 17), sample().substr(0, 20) + "garbage"};
    for (const std::string& bytes : garbage) {
        const Decoded decoded = decode(bytes);
        EXPECT_NE(decoded.error, "") << decoded.events.size();
        EXPECT_TRUE(decoded.events.empty() || decoded.events.back()[0] != 'E');
    }
}

}  // namespace
}  // namespace mailsift::connectors::excel
