#include "jobs/ingest_sink.h"

#include <algorithm>

namespace mailsift::jobs {

IngestSink::IngestSink(store::Store& store, store::Id jobId, std::size_t batchRows,
                       std::size_t writers, std::int64_t maxRows,
                       std::function<bool()> stopRequested)
    : store_(store),
      jobId_(jobId),
      batchRows_(std::max<std::size_t>(batchRows, 1)),
      writers_(std::max<std::size_t>(writers, 1)),
      maxRows_(maxRows),
      stopRequested_(std::move(stopRequested)) {
    batch_.resize(batchRows_);
}

IngestSink::~IngestSink() {
    for (Write& write : writing_) {
        try {
            write.done.get();
        } catch (...) {  // the ingestion failed already; its own error is on its way
        }
    }
}

void IngestSink::row(std::string_view emailCell) {
    const std::int64_t pos = next_++;
    if (pos >= maxRows_)
        return;  // counted, so tooManyRows() answers true; never stored
    store::JobRow& row = batch_[filled_++];
    row.pos = pos;
    row.email.assign(emailCell);
    row.dupOf = index_.firstOf(emailCell, pos);
    if (filled_ == batchRows_)
        submit();
}

bool IngestSink::stopRequested() const {
    return failed_ || tooManyRows() || (stopRequested_ && stopRequested_());
}

void IngestSink::submit() {
    while (writing_.size() >= writers_)
        finishOldest();
    batch_.resize(filled_);
    // A deque keeps its elements in place as others come and go, so the thread may read the
    // batch where it is until the write has been waited for.
    Write& write = writing_.emplace_back();
    write.batch = std::move(batch_);
    write.done = std::async(
        std::launch::async,
        [&store = store_, jobId = jobId_, rows = &write.batch] { store.appendRows(jobId, *rows); });
    if (spare_.empty()) {
        batch_.clear();
    } else {
        batch_ = std::move(spare_.back());
        spare_.pop_back();
    }
    batch_.resize(batchRows_);
    filled_ = 0;
}

void IngestSink::finishOldest() {
    Write& oldest = writing_.front();
    try {
        oldest.done.get();
    } catch (...) {
        failed_ = true;
        writing_.pop_front();
        throw;
    }
    spare_.push_back(std::move(oldest.batch));
    writing_.pop_front();
}

void IngestSink::flush() {
    if (filled_ > 0)
        submit();
    while (!writing_.empty())
        finishOldest();
}

}  // namespace mailsift::jobs
