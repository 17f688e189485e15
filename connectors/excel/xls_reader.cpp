#include "excel/xls_reader.h"

#include <algorithm>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "common/email_column.h"
#include "excel/child_process.h"
#include "excel/xls_frame_decoder.h"

namespace mailsift::connectors::excel {
namespace {

using Kind = ConnectorError::Kind;

constexpr std::size_t kMaxErrorBytes = 4096;
constexpr const char* kResave =
    "open it in a spreadsheet program, save it as .xlsx or CSV and upload that";
const std::string kUnreadable = std::string("the .xls file could not be read; ") + kResave;

ConnectorError invalid(const std::string& why) {
    return ConnectorError(Kind::badInput,
                          "the file is not a valid .xls workbook: " + why + "; " + kResave);
}

/// The child's standard output as the decoder's byte source.
class ChildOutput final : public ByteSource {
  public:
    explicit ChildOutput(ChildProcess& child) : child_(child) {}
    std::size_t read(char* buffer, std::size_t size) override {
        return child_.readOutput(buffer, size);
    }

  private:
    ChildProcess& child_;
};

/// The user's message for an end frame that is not ok (the child never sends sentences).
ConnectorError outcomeError(const XlsFrameDecoder::Frame& end, std::size_t maxCellBytes) {
    switch (end.outcome) {
        case XlsOutcome::openFailed:
            return invalid("freexl error " + std::to_string(static_cast<int>(end.first)));
        case XlsOutcome::password:
            return ConnectorError(Kind::badInput,
                                  "the workbook is protected by a password; save it without one");
        case XlsOutcome::noSheet:
            return ConnectorError(Kind::badInput, "the workbook's first sheet could not be found");
        case XlsOutcome::cellFailed:
            return invalid("freexl error " + std::to_string(static_cast<int>(end.first)) +
                           " in row " + std::to_string(end.second));
        case XlsOutcome::cellTooLong:
            return ConnectorError(Kind::tooLarge, "a cell in row " + std::to_string(end.second) +
                                                      " is longer than the limit of " +
                                                      std::to_string(maxCellBytes) + " bytes");
        case XlsOutcome::setupFailed:
            return ConnectorError(Kind::unavailable,
                                  "the .xls reader of this server could not start; please try "
                                  "again later or upload the file as .xlsx or CSV");
        case XlsOutcome::ok:
            break;
    }
    return ConnectorError(Kind::badInput, kUnreadable);
}

/// The child's standard error on one log line: lines joined with " | ", other control characters
/// and non-ASCII bytes as '?' (it is the upload's process talking).
std::string excerpt(const std::string& errors) {
    std::string text = "standard error: ";
    bool lineStart = true;
    for (const char c : errors) {
        if (c == '\n') {
            lineStart = true;
            continue;
        }
        if (lineStart && text.size() > 16)
            text += " | ";
        lineStart = false;
        text += (c >= 0x20 && c < 0x7F) ? c : '?';
    }
    return errors.empty() ? "nothing on standard error" : text;
}

}  // namespace

void XlsReader::read(const std::string& path, RowSink& sink) const {
    const auto warn = [this](const std::string& message) {
        if (limits_.warn)
            limits_.warn(message);
    };
    if (limits_.executable.empty())
        throw ConnectorError(Kind::unavailable,
                             "this server cannot read .xls files; upload the file as .xlsx or CSV");

    const auto timeoutSeconds = std::chrono::ceil<std::chrono::seconds>(limits_.timeout).count();
    const std::vector<std::string> arguments = {
        "--max-cell-bytes",
        std::to_string(limits_.maxCellBytes),
        "--max-memory-bytes",
        std::to_string(limits_.maxMemoryBytes),
        "--cpu-seconds",
        std::to_string(std::max<long long>(1, timeoutSeconds)),
        "--",
        path};
    std::optional<ChildProcess> child;
    try {
        child.emplace(limits_.executable, arguments, ChildProcess::Clock::now() + limits_.timeout,
                      kMaxErrorBytes);
    } catch (const std::system_error& error) {
        warn("the .xls reader " + limits_.executable + " could not be started: " + error.what());
        throw ConnectorError(Kind::unavailable,
                             "the .xls reader of this server could not start; please try again "
                             "later or upload the file as .xlsx or CSV");
    }

    ChildOutput output(*child);
    XlsFrameDecoder decoder(output, limits_.maxCellBytes);
    EmailColumn rows(sink);
    bool inRow = false;
    XlsFrameDecoder::Frame end;
    try {
        for (;;) {
            const XlsFrameDecoder::Frame frame = decoder.next();
            if (frame.type == XlsFrameType::end) {
                end = frame;
                break;
            }
            if (frame.type == XlsFrameType::cell) {
                rows.cell(frame.column, frame.text);
                continue;
            }
            if (inRow && !rows.endRow()) {
                child->kill();  // the sink wants no more rows
                return;
            }
            rows.beginRow();
            inRow = true;
        }
    } catch (const XlsFrameError& error) {
        const ChildExit& exit = child->kill(std::chrono::milliseconds(200));
        // A child that died on its own explains the broken output; otherwise the output itself.
        warn("the .xls reader failed on an upload (" + exit.describe() + "): " + error.what() +
             "; " + excerpt(child->errorOutput()));
        throw ConnectorError(Kind::badInput, kUnreadable);
    } catch (const std::system_error& error) {
        child->kill();
        warn(std::string("reading from the .xls reader failed: ") + error.what());
        throw ConnectorError(Kind::unavailable,
                             "the .xls reader of this server failed; please try again later or "
                             "upload the file as .xlsx or CSV");
    } catch (const ChildTimeout&) {
        warn("the .xls reader ran past the limit of " + std::to_string(limits_.timeout.count()) +
             " ms and was killed; " + excerpt(child->errorOutput()));
        throw ConnectorError(Kind::badInput,
                             "reading the .xls file took longer than the limit of " +
                                 std::to_string(limits_.timeout.count()) +
                                 " ms; save it as .xlsx or CSV and upload that");
    }

    ChildExit exit;
    try {
        exit = child->wait();
    } catch (const ChildTimeout&) {
        warn("the .xls reader did not exit after its last frame and was killed; " +
             excerpt(child->errorOutput()));
        throw ConnectorError(Kind::badInput, kUnreadable);
    }
    if (end.outcome == XlsOutcome::setupFailed) {  // it exits 2 then: not the upload's fault
        warn("the .xls reader could not set itself up (" + exit.describe() + "); " +
             excerpt(child->errorOutput()));
        throw outcomeError(end, limits_.maxCellBytes);
    }
    if (!exit.success()) {
        warn("the .xls reader ended with " + exit.describe() + " after its end frame; " +
             excerpt(child->errorOutput()));
        throw ConnectorError(Kind::badInput, kUnreadable);
    }
    if (end.outcome != XlsOutcome::ok)
        throw outcomeError(end, limits_.maxCellBytes);
    if (inRow)
        rows.endRow();
}

}  // namespace mailsift::connectors::excel
