#pragma once

#include <cstdint>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "mailsift/host_api.h"

namespace mailsift {

/// Receives the rows a connector reads, in source order. Owned by the caller.
class RowSink {
  public:
    /// One row: the cell that holds the address (may be empty or not an address at all; it still
    /// becomes a row so that row numbers stay aligned with the source).
    virtual void row(std::string_view emailCell) = 0;
    /// True once the caller wants no more rows (job deleted, shutdown); the connector stops early.
    virtual bool stopRequested() const = 0;
    /// Paged sources (integrations) call this after the last row of each page: those rows and
    /// `nextCursor` are committed together, so a restarted import resumes at `nextCursor` (passed
    /// back as ConnectorInput::cursor) without storing a row twice. "" = there is no next page.
    virtual void pageDone(std::string_view nextCursor) { (void)nextCursor; }

  protected:
    ~RowSink() = default;
};

/// One verdict to write back to the source, keyed by the address as the source gave it.
struct WriteBackRow {
    std::string email;
    std::string classifier;  ///< valid, risky, invalid
    int score = 0;
};

/// Hands a connector the finished results of a job, in input order (repeated addresses once).
/// Owned by the caller.
class ResultSource {
  public:
    /// Fills `row` with the next result; false when there are no more.
    virtual bool next(WriteBackRow& row) = 0;

  protected:
    ~ResultSource() = default;
};

/// Where rows come from for one job.
struct ConnectorInput {
    std::istream* body = nullptr;  ///< uploaded file content, streamed; null when there is none
    std::string fileName;          ///< name the client gave the file, "" when none
    std::string text;              ///< the `input` form field
    std::int64_t integrationId = 0;
    std::string credentialsJson;  ///< decrypted integration credentials, "{}" when none
    std::string optionsJson;      ///< integration options, "{}" when none
    std::string cursor;           ///< where a paged import resumes ("" = from the start)
};

/// Thrown by a connector for input that it cannot read; the message is shown to the user.
class ConnectorError : public std::runtime_error {
  public:
    enum class Kind { badInput, tooLarge, unavailable };
    ConnectorError(Kind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

/// A source of rows (file, input, excel, hubspot, ...). One instance serves every job, so `read`
/// may be called from several threads at once.
class Connector {
  public:
    virtual ~Connector() = default;

    /// Streams every row of `input` into `sink`; throws ConnectorError for input it cannot read.
    virtual void read(const ConnectorInput& input, RowSink& sink) = 0;

    /// Writes every result of `results` back to the source (integrations with writeBack on), in
    /// batches and at the pace the source accepts; throws ConnectorError when it cannot.
    virtual void writeBack(const ConnectorInput& input, ResultSource& results) {
        (void)input;
        (void)results;
        throw ConnectorError(ConnectorError::Kind::badInput,
                             "This source cannot take results back.");
    }
};

}  // namespace mailsift
