#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "mailsift/connector.h"

namespace mailsift::connectors::testing {

/// Keeps every row; asks to stop once `stopAfter` rows have arrived.
class CollectingSink final : public RowSink {
  public:
    explicit CollectingSink(std::size_t stopAfter = std::numeric_limits<std::size_t>::max())
        : stopAfter_(stopAfter) {}

    void row(std::string_view emailCell) override { rows.emplace_back(emailCell); }
    bool stopRequested() const override { return rows.size() >= stopAfter_; }

    std::vector<std::string> rows;

  private:
    std::size_t stopAfter_;
};

/// Counts rows without keeping them (throughput and streaming tests).
class CountingSink final : public RowSink {
  public:
    void row(std::string_view emailCell) override {
        ++count;
        bytes += emailCell.size();
    }
    bool stopRequested() const override { return false; }

    std::size_t count = 0;
    std::size_t bytes = 0;
};

}  // namespace mailsift::connectors::testing
