#include "store/sqlite/sqlite_statement.h"

#include "store/store.h"

namespace mailsift::store::sqlite {

SqliteStatement::SqliteStatement(sqlite3* db, const std::string& sql) : db_(db), sql_(sql) {
    const int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size() + 1),
                                      &statement_, nullptr);
    if (rc != SQLITE_OK) {
        fail(rc);
    }
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(statement_);
}

SqliteStatement& SqliteStatement::bind(int index, std::int64_t value) {
    const int rc = sqlite3_bind_int64(statement_, index, value);
    if (rc != SQLITE_OK) {
        fail(rc);
    }
    return *this;
}

SqliteStatement& SqliteStatement::bind(int index, const std::string& value) {
    // SQLITE_TRANSIENT: SQLite copies the text, so the caller's string may change before step().
    const int rc = sqlite3_bind_text(statement_, index, value.data(),
                                     static_cast<int>(value.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) {
        fail(rc);
    }
    return *this;
}

SqliteStatement& SqliteStatement::bindStatic(int index, const std::string& value) {
    const int rc = sqlite3_bind_text(statement_, index, value.data(),
                                     static_cast<int>(value.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) {
        fail(rc);
    }
    return *this;
}

SqliteStatement& SqliteStatement::bindNull(int index) {
    const int rc = sqlite3_bind_null(statement_, index);
    if (rc != SQLITE_OK) {
        fail(rc);
    }
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(statement_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    fail(rc);
}

void SqliteStatement::run() {
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset() {
    sqlite3_reset(statement_);
}

std::int64_t SqliteStatement::integer(std::size_t col) const {
    return sqlite3_column_int64(statement_, static_cast<int>(col));
}

std::optional<std::int64_t> SqliteStatement::optInteger(std::size_t col) const {
    if (sqlite3_column_type(statement_, static_cast<int>(col)) == SQLITE_NULL) {
        return std::nullopt;
    }
    return sqlite3_column_int64(statement_, static_cast<int>(col));
}

std::string SqliteStatement::text(std::size_t col) const {
    const auto* data = sqlite3_column_text(statement_, static_cast<int>(col));
    if (data == nullptr) {
        return {};
    }
    const int size = sqlite3_column_bytes(statement_, static_cast<int>(col));
    return std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

void SqliteStatement::textInto(std::size_t col, std::string& out) const {
    const auto* data = sqlite3_column_text(statement_, static_cast<int>(col));
    if (data == nullptr) {
        out.clear();
        return;
    }
    const int size = sqlite3_column_bytes(statement_, static_cast<int>(col));
    out.assign(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool SqliteStatement::isNull(std::size_t col) const {
    return sqlite3_column_type(statement_, static_cast<int>(col)) == SQLITE_NULL;
}

void SqliteStatement::fail(int rc) const {
    std::string message = "sqlite: " + std::string(sqlite3_errstr(rc));
    if (const char* detail = sqlite3_errmsg(db_); detail != nullptr) {
        message += " (" + std::string(detail) + ")";
    }
    const int extended = sqlite3_extended_errcode(db_);
    sqlite3_reset(statement_);
    if (extended == SQLITE_CONSTRAINT_PRIMARYKEY || extended == SQLITE_CONSTRAINT_UNIQUE) {
        throw StoreConflict(message);
    }
    throw StoreError(message + " in: " + sql_.substr(0, 200));
}

}  // namespace mailsift::store::sqlite
