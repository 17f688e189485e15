#include "store/mysql/connection.h"

#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace mailsift::store::mysql {

namespace {

constexpr int kReadWriteTimeoutSeconds = 120;

std::string hostUri(const ConnectionSettings& s) {
    const bool ipv6 = s.host.find(':') != std::string::npos;
    return "tcp://" + (ipv6 ? "[" + s.host + "]" : s.host) + ":" + std::to_string(s.port);
}

}  // namespace

void appendStringLiteral(std::string& out, std::string_view text) {
    static constexpr std::string_view kSpecial("\0\n\r\x1a\\'\"", 7);
    static constexpr std::string_view kEscapeLetter("0nrZ\\'\"", 7);
    out += '\'';
    for (const char c : text) {
        const std::size_t special = kSpecial.find(c);
        if (special == std::string_view::npos) {
            out += c;
        } else {
            out += '\\';
            out += kEscapeLetter[special];
        }
    }
    out += '\'';
}

std::string ConnectionSettings::describe() const {
    return user + "@" + host + ":" + std::to_string(port) + "/" + database;
}

std::int64_t ResultRow::integer(std::size_t col) const {
    const auto index = static_cast<std::uint32_t>(col + 1);
    return rs_.isNull(index) ? 0 : rs_.getInt64(index);
}

std::optional<std::int64_t> ResultRow::optInteger(std::size_t col) const {
    const auto index = static_cast<std::uint32_t>(col + 1);
    if (rs_.isNull(index)) {
        return std::nullopt;
    }
    return rs_.getInt64(index);
}

std::string ResultRow::text(std::size_t col) const {
    // getString answers "" for NULL, so one call per cell instead of isNull + getString.
    return rs_.getString(static_cast<std::uint32_t>(col + 1)).asStdString();
}

namespace {

void appendLiteral(std::string& out, const Param& param) {
    if (const auto* i = std::get_if<std::int64_t>(&param)) {
        out += std::to_string(*i);
    } else if (const auto* s = std::get_if<std::string>(&param)) {
        appendStringLiteral(out, *s);
    } else {
        out += "NULL";
    }
}

/// `sql` with each `?` outside quotes replaced by the matching parameter as a SQL literal.
/// Throws std::invalid_argument when the counts differ.
std::string withLiterals(const std::string& sql, const std::vector<Param>& params) {
    std::string out;
    out.reserve(sql.size() + params.size() * 8);
    std::size_t next = 0;
    char quote = 0;
    for (const char c : sql) {
        if (quote != 0) {
            out += c;
            if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            out += c;
            continue;
        }
        if (c != '?') {
            out += c;
            continue;
        }
        if (next == params.size()) {
            throw std::invalid_argument("withLiterals: more placeholders than parameters");
        }
        appendLiteral(out, params[next++]);
    }
    if (next != params.size()) {
        throw std::invalid_argument("withLiterals: more parameters than placeholders");
    }
    return out;
}

}  // namespace

std::unique_ptr<Connection> Connection::open(const ConnectionSettings& settings) {
    sql::ConnectOptionsMap options;
    options["hostName"] = sql::SQLString(hostUri(settings));
    options["userName"] = sql::SQLString(settings.user);
    options["password"] = sql::SQLString(settings.password);
    options["schema"] = sql::SQLString(settings.database);
    options["OPT_RECONNECT"] = false;
    options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    options["OPT_CONNECT_TIMEOUT"] = std::max(1, (settings.connectTimeoutMs + 999) / 1000);
    options["OPT_READ_TIMEOUT"] = kReadWriteTimeoutSeconds;
    options["OPT_WRITE_TIMEOUT"] = kReadWriteTimeoutSeconds;
    std::unique_ptr<sql::Connection> raw(sql::mysql::get_mysql_driver_instance()->connect(options));
    auto connection = std::unique_ptr<Connection>(new Connection(std::move(raw)));
    connection->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    connection->execute(
        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
        "NO_ENGINE_SUBSTITUTION'");
    connection->execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin");
    return connection;
}

Connection::Connection(std::unique_ptr<sql::Connection> connection)
    : connection_(std::move(connection)) {}

sql::PreparedStatement& Connection::prepared(const std::string& sql, const Param* first,
                                             const Param* last) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        std::unique_ptr<sql::PreparedStatement> statement(connection_->prepareStatement(sql));
        it = statements_.emplace(sql, std::move(statement)).first;
    }
    sql::PreparedStatement& statement = *it->second;
    statement.clearParameters();
    unsigned int index = 1;
    for (const Param* p = first; p != last; ++p) {
        const Param& param = *p;
        if (const auto* i = std::get_if<std::int64_t>(&param)) {
            statement.setInt64(index, *i);
        } else if (const auto* s = std::get_if<std::string>(&param)) {
            statement.setString(index, sql::SQLString(*s));
        } else {
            statement.setNull(index, 0);
        }
        ++index;
    }
    return statement;
}

int Connection::update(const std::string& sql, std::initializer_list<Param> params) {
    const int rows = prepared(sql, params.begin(), params.end()).executeUpdate();
    ++workDone_;
    return rows;
}

int Connection::update(const std::string& sql, const std::vector<Param>& params) {
    const int rows = prepared(sql, params.data(), params.data() + params.size()).executeUpdate();
    ++workDone_;
    return rows;
}

std::unique_ptr<sql::ResultSet> Connection::query(const std::string& sql,
                                                  std::initializer_list<Param> params) {
    std::unique_ptr<sql::ResultSet> rs(prepared(sql, params.begin(), params.end()).executeQuery());
    ++workDone_;
    return rs;
}

std::unique_ptr<sql::ResultSet> Connection::query(const std::string& sql,
                                                  const std::vector<Param>& params) {
    std::unique_ptr<sql::ResultSet> rs(
        prepared(sql, params.data(), params.data() + params.size()).executeQuery());
    ++workDone_;
    return rs;
}

std::unique_ptr<sql::ResultSet> Connection::queryText(const std::string& sql,
                                                      const std::vector<Param>& params) {
    if (!textStatement_) {
        textStatement_.reset(connection_->createStatement());
    }
    std::unique_ptr<sql::ResultSet> rs(textStatement_->executeQuery(withLiterals(sql, params)));
    ++workDone_;
    return rs;
}

std::int64_t Connection::queryInteger(const std::string& sql, std::initializer_list<Param> params) {
    auto rs = query(sql, params);
    if (!rs->next()) {
        return 0;
    }
    return ResultRow(*rs).integer(0);
}

void Connection::execute(const std::string& sql) {
    std::unique_ptr<sql::Statement> statement(connection_->createStatement());
    if (statement->execute(sql)) {
        std::unique_ptr<sql::ResultSet> unused(statement->getResultSet());
    }
    ++workDone_;
}

std::int64_t Connection::lastInsertId() {
    return queryInteger("SELECT LAST_INSERT_ID()");
}

void Connection::begin() {
    connection_->setAutoCommit(false);
}

void Connection::commit() {
    connection_->commit();
    connection_->setAutoCommit(true);
}

void Connection::rollback() {
    connection_->rollback();
    connection_->setAutoCommit(true);
}

}  // namespace mailsift::store::mysql
