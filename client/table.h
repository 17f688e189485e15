#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mailsift::client {

/// A plain-text table: columns padded to their widest cell, two spaces apart, a header row.
class Table {
  public:
    explicit Table(std::vector<std::string> header) : rows_{std::move(header)} {}
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    void print(std::ostream& out) const;

  private:
    std::vector<std::vector<std::string>> rows_;
};

}  // namespace mailsift::client
