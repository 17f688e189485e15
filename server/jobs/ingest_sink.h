#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "jobs/dedupe_index.h"
#include "mailsift/connector.h"
#include "store/store.h"

namespace mailsift::jobs {

/// The RowSink that a connector fills while a job is created: numbers the rows, marks repeated
/// addresses (dupOf), and writes them to the store in batches of `batchRows`, one transaction per
/// batch. Row strings are reused from batch to batch, so a warm sink allocates only for cells
/// longer than any before. Stops the connector once the job has more rows than `maxRows` or
/// `stopRequested` says so. One ingestion (one thread) owns it.
class IngestSink final : public RowSink {
  public:
    IngestSink(store::Store& store, store::Id jobId, std::size_t batchRows, std::int64_t maxRows,
               std::function<bool()> stopRequested);

    void row(std::string_view emailCell) override;
    bool stopRequested() const override;

    /// Writes the rows still buffered. Call once the connector has returned.
    void flush();

    /// Rows received so far (past the limit too, up to the point the connector stopped).
    std::int64_t rows() const { return next_; }
    /// Distinct addresses among them.
    std::size_t uniqueAddresses() const { return index_.size(); }
    /// True once more than maxRows rows came in; nothing past the limit is stored.
    bool tooManyRows() const { return next_ > maxRows_; }

  private:
    store::Store& store_;
    store::Id jobId_;
    std::size_t batchRows_;
    std::int64_t maxRows_;
    std::function<bool()> stopRequested_;
    DedupeIndex index_;
    std::vector<store::JobRow> batch_;  ///< size stays batchRows_; `filled_` of them are current
    std::size_t filled_ = 0;
    std::int64_t next_ = 0;
};

}  // namespace mailsift::jobs
