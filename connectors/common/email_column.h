#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mailsift/connector.h"

namespace mailsift::connectors {

/// Turns the rows of a table (CSV, sheet) into RowSink rows, the same way for every format:
///
/// - A blank row (no cells, or every cell empty or only spaces and tabs) is skipped and does not
///   count as the first row.
/// - The first non-blank row is a header when one of its cells is `email` (any case, surrounding
///   spaces and tabs ignored); the first such cell names the email column and the row itself is
///   not emitted. Otherwise there is no header, the email column is the first one and that row is
///   data.
/// - Every other row becomes exactly one sink.row() with the email column's cell, "" when the row
///   has no such cell, so row numbers stay aligned with the non-blank rows of the source.
///
/// Use: beginRow(), cell() for each cell in any column order, endRow(). Not thread-safe; one object
/// per read. The sink must outlive it.
class EmailColumn {
  public:
    explicit EmailColumn(RowSink& sink) : sink_(sink) {}

    void beginRow() {
        nonBlank_ = false;
        hasValue_ = false;
    }

    /// One cell of the current row; `column` counts from 0. The value is copied when needed.
    void cell(std::size_t column, std::string_view value) {
        if (!nonBlank_ && !isBlank(value))
            nonBlank_ = true;
        if (!decided_ && !headerColumn_.found && isEmailHeader(value)) {
            headerColumn_.found = true;
            headerColumn_.index = column;
        }
        if (column == column_ && !hasValue_) {
            value_.assign(value);
            hasValue_ = true;
        }
    }

    /// Ends the row (emitting it when it is data). Returns false when the sink wants no more rows.
    bool endRow();

    /// True for `email` in any case with optional surrounding spaces or tabs.
    static bool isEmailHeader(std::string_view value);
    /// True when the value is empty or only spaces and tabs.
    static bool isBlank(std::string_view value) {
        for (const char c : value) {
            if (c != ' ' && c != '\t')
                return false;
        }
        return true;
    }

  private:
    struct Header {
        bool found = false;
        std::size_t index = 0;
    };

    RowSink& sink_;
    bool decided_ = false;  ///< the first non-blank row has been seen
    Header headerColumn_;
    std::size_t column_ = 0;
    bool nonBlank_ = false;
    bool hasValue_ = false;
    std::string value_;  ///< reused between rows
};

}  // namespace mailsift::connectors
