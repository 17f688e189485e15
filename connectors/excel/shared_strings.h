#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "excel/zip_index.h"

namespace mailsift::connectors::excel {

/// The shared string table of a workbook, packed into one buffer (8 bytes of overhead per
/// string) so that a large table stays close to the size of its text.
class SharedStrings {
  public:
    /// Reads the part `name` (rich-text runs concatenated, phonetic runs left out). A string longer
    /// than `maxCellBytes` is ConnectorError tooLarge; see parseXmlPart for the other errors.
    static SharedStrings read(ZipIndex& zip, std::string_view name, std::size_t maxCellBytes);

    void add(std::string_view text) {
        text_.append(text);
        ends_.push_back(text_.size());
    }
    std::size_t size() const { return ends_.size(); }
    /// The string at `index`; the caller checks index < size().
    std::string_view at(std::size_t index) const {
        const std::size_t begin = index == 0 ? 0 : ends_[index - 1];
        return std::string_view(text_).substr(begin, ends_[index] - begin);
    }

  private:
    std::string text_;
    std::vector<std::size_t> ends_;
};

}  // namespace mailsift::connectors::excel
