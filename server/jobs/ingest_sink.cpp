#include "jobs/ingest_sink.h"

#include <algorithm>

namespace mailsift::jobs {

IngestSink::IngestSink(store::Store& store, store::Id jobId, std::size_t batchRows,
                       std::int64_t maxRows, std::function<bool()> stopRequested)
    : store_(store),
      jobId_(jobId),
      batchRows_(std::max<std::size_t>(batchRows, 1)),
      maxRows_(maxRows),
      stopRequested_(std::move(stopRequested)) {
    batch_.resize(batchRows_);
}

void IngestSink::row(std::string_view emailCell) {
    const std::int64_t pos = next_++;
    if (pos >= maxRows_)
        return;  // counted, so tooManyRows() answers true; never stored
    store::JobRow& row = batch_[filled_++];
    row.pos = pos;
    row.email.assign(emailCell);
    row.dupOf = index_.firstOf(emailCell, pos);
    if (filled_ == batchRows_) {
        store_.appendRows(jobId_, batch_);
        filled_ = 0;
    }
}

bool IngestSink::stopRequested() const {
    return tooManyRows() || (stopRequested_ && stopRequested_());
}

void IngestSink::flush() {
    if (filled_ == 0)
        return;
    batch_.resize(filled_);
    store_.appendRows(jobId_, batch_);
    filled_ = 0;
    batch_.resize(batchRows_);
}

}  // namespace mailsift::jobs
