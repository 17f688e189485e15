#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <string_view>
#include <vector>

#include "jobs/dedupe_index.h"
#include "mailsift/connector.h"
#include "store/store.h"

namespace mailsift::jobs {

/// The RowSink that a connector fills while a job is created: numbers the rows, marks repeated
/// addresses (dupOf), and writes them to the store in batches of `batchRows`, one transaction per
/// batch. Up to `writers` batches are written at once, each on its own thread, while the
/// connector goes on filling the next: reading the file and the store's work overlap, and a
/// database with several connections gets them all. Row strings are reused from batch to batch,
/// so a warm sink allocates only for cells longer than any before. Stops the connector once the
/// job has more rows than `maxRows`, `stopRequested` says so, or a write failed. One ingestion
/// (one thread) owns it; a failed write is thrown from row() or flush().
class IngestSink final : public RowSink {
  public:
    IngestSink(store::Store& store, store::Id jobId, std::size_t batchRows, std::size_t writers,
               std::int64_t maxRows, std::function<bool()> stopRequested);
    /// Waits for the writes still running (their errors are dropped: the ingestion has failed
    /// already when flush() was not reached).
    ~IngestSink();
    IngestSink(const IngestSink&) = delete;
    IngestSink& operator=(const IngestSink&) = delete;

    void row(std::string_view emailCell) override;
    bool stopRequested() const override;

    /// Writes the rows still buffered and waits until every batch is stored; throws the first
    /// failed write. Call once the connector has returned.
    void flush();

    /// Rows received so far (past the limit too, up to the point the connector stopped).
    std::int64_t rows() const { return next_; }
    /// Distinct addresses among them.
    std::size_t uniqueAddresses() const { return index_.size(); }
    /// True once more than maxRows rows came in; nothing past the limit is stored.
    bool tooManyRows() const { return next_ > maxRows_; }

  private:
    struct Write {
        std::future<void> done;
        std::vector<store::JobRow> batch;
    };

    /// Starts writing the current batch (its first `filled_` rows) and takes a fresh one.
    void submit();
    /// Waits for the oldest write and keeps its batch for reuse; rethrows its error.
    void finishOldest();

    store::Store& store_;
    store::Id jobId_;
    std::size_t batchRows_;
    std::size_t writers_;
    std::int64_t maxRows_;
    std::function<bool()> stopRequested_;
    DedupeIndex index_;
    std::vector<store::JobRow> batch_;  ///< size stays batchRows_; `filled_` of them are current
    std::size_t filled_ = 0;
    std::int64_t next_ = 0;
    std::deque<Write> writing_;                      ///< oldest first
    std::vector<std::vector<store::JobRow>> spare_;  ///< written batches, for reuse
    bool failed_ = false;
};

}  // namespace mailsift::jobs
