#pragma once

#include <cstddef>
#include <string_view>

#include "mailsift/connector.h"

namespace mailsift::connectors::input {

/// Splits the `input` form field into rows: pieces are separated by any run of commas, semicolons,
/// CR, LF, spaces and tabs; empty pieces are skipped (so there is no header and no blank row).
/// A piece longer than `maxItemBytes` is ConnectorError tooLarge naming its position. Stops early
/// when sink.stopRequested(). Stateless and thread-safe.
class InputSplitter {
  public:
    explicit InputSplitter(std::size_t maxItemBytes = 1024) : maxItemBytes_(maxItemBytes) {}

    void split(std::string_view text, RowSink& sink) const;

  private:
    std::size_t maxItemBytes_;
};

}  // namespace mailsift::connectors::input
