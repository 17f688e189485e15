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

  protected:
    ~RowSink() = default;
};

/// Where rows come from for one job.
struct ConnectorInput {
    std::istream* body = nullptr;  ///< uploaded file content, streamed; null when there is none
    std::string fileName;          ///< name the client gave the file, "" when none
    std::string text;              ///< the `input` form field
    std::int64_t integrationId = 0;
    std::string credentialsJson;  ///< decrypted integration credentials, "{}" when none
    std::string optionsJson;      ///< integration options, "{}" when none
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
};

}  // namespace mailsift
