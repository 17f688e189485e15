#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>

namespace mailsift::store::sqlite {

/// One prepared statement on a raw sqlite3 handle, for the bulk and hot paths of jobs (appending
/// rows, writing results, reading pages), where Poco::Data's per-row overhead shows. Parameters
/// are counted from 1 and columns from 0, as in the C API. Errors throw StoreError with the
/// SQL and SQLite's message. Used by one thread at a time, like the session it came from.
class SqliteStatement {
  public:
    SqliteStatement(sqlite3* db, const std::string& sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bind(int index, std::int64_t value);
    SqliteStatement& bind(int index, const std::string& value);
    /// Binds text without copying it: `value` must stay unchanged until the next step().
    SqliteStatement& bindStatic(int index, const std::string& value);
    SqliteStatement& bindNull(int index);

    /// Advances to the next row: true when there is one, false when done.
    bool step();
    /// Runs a statement that returns no rows and resets it for another round of binds.
    void run();
    /// Makes the statement ready to run again (bindings are kept until rebound).
    void reset();

    // The row model row_mapping.h expects (NULL reads as 0 / nullopt / "").
    std::int64_t integer(std::size_t col) const;
    std::optional<std::int64_t> optInteger(std::size_t col) const;
    std::string text(std::size_t col) const;
    /// Copies the text of `col` into `out`, reusing its capacity (hot loops: no allocation once
    /// `out` has grown); NULL reads as "".
    void textInto(std::size_t col, std::string& out) const;
    /// True when `col` is NULL in the current row.
    bool isNull(std::size_t col) const;

  private:
    [[noreturn]] void fail(int rc) const;

    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
    std::string sql_;
};

/// Rows changed by the last INSERT, UPDATE or DELETE on `db`.
inline int changes(sqlite3* db) {
    return sqlite3_changes(db);
}

}  // namespace mailsift::store::sqlite
