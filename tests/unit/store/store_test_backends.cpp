#include "store_test_backends.h"

#include <Poco/Data/SQLite/SessionImpl.h>
#include <Poco/Data/Session.h>
#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>
#include <gtest/gtest.h>
#include <mysql_driver.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>

#include "store/store_factory.h"

namespace mailsift::store::testing {

namespace {

std::string uniqueSuffix() {
    static std::atomic<int> counter{0};
    return std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

config::StoreConfig storeConfig(std::string url, int poolSize) {
    config::StoreConfig config;
    config.url = std::move(url);
    config.poolSize = poolSize;
    config.busyTimeoutMs = 10000;
    return config;
}

/// A plain Connector/C++ connection with the test URL's credentials (no schema when empty).
std::unique_ptr<sql::Connection> connectMysql(const std::string& url, const std::string& schema) {
    const StoreLocation location = parseStoreUrl(url, "");
    sql::ConnectOptionsMap options;
    options["hostName"] =
        sql::SQLString("tcp://" + location.host + ":" + std::to_string(location.port));
    options["userName"] = sql::SQLString(location.user);
    options["password"] = sql::SQLString(location.password);
    if (!schema.empty()) {
        options["schema"] = sql::SQLString(schema);
    }
    return std::unique_ptr<sql::Connection>(
        sql::mysql::get_mysql_driver_instance()->connect(options));
}

}  // namespace

void SqliteBackend::setUp() {
    dir_ = std::filesystem::temp_directory_path() / ("mailsift-store-test-" + uniqueSuffix());
    std::filesystem::remove_all(dir_);
    // The store creates the folder itself (openStore makes missing parents).
}

void SqliteBackend::tearDown() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::unique_ptr<Store> SqliteBackend::open(int poolSize) const {
    return openStore(storeConfig("sqlite://" + (dir_ / "sub" / "store.db").string(), poolSize),
                     "/nonexistent-base-dir");
}

Id SqliteBackend::exec(const std::string& sql) const {
    using Poco::Data::Keywords::into;
    using Poco::Data::Keywords::now;
    Poco::Data::Session session(Poco::AutoPtr<Poco::Data::SessionImpl>(
        new Poco::Data::SQLite::SessionImpl((dir_ / "sub" / "store.db").string())));
    session << "PRAGMA busy_timeout = 10000", now;
    session << sql, now;
    Poco::Int64 id = 0;
    session << "SELECT last_insert_rowid()", into(id), now;
    return id;
}

void MysqlBackend::setUp() {
    const char* url = std::getenv("MAILSIFT_TEST_MYSQL_URL");
    ASSERT_NE(url, nullptr)
        << "MAILSIFT_TEST_MYSQL_URL is not set. The MySQL store tests need a MariaDB: run them "
           "through ctest (`ctest -L mysql`), whose mariadb fixture starts one and sets the "
           "variable, or export MAILSIFT_TEST_MYSQL_URL=mysql://user:pass@127.0.0.1:PORT/db.";
    baseUrl_ = url;
    database_ = "mailsift_t_" + uniqueSuffix();
    try {
        auto connection = connectMysql(baseUrl_, "");
        std::unique_ptr<sql::Statement> statement(connection->createStatement());
        statement->execute("CREATE DATABASE `" + database_ +
                           "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (const sql::SQLException& e) {
        FAIL() << "cannot create the test database " << database_ << " on " << baseUrl_ << ": "
               << e.what();
    }
}

void MysqlBackend::tearDown() {
    if (database_.empty()) {
        return;
    }
    try {
        auto connection = connectMysql(baseUrl_, "");
        std::unique_ptr<sql::Statement> statement(connection->createStatement());
        statement->execute("DROP DATABASE IF EXISTS `" + database_ + "`");
    } catch (const sql::SQLException& e) {
        ADD_FAILURE() << "cannot drop the test database " << database_ << ": " << e.what();
    }
}

std::unique_ptr<Store> MysqlBackend::open(int poolSize) const {
    const std::string url = baseUrl_.substr(0, baseUrl_.rfind('/') + 1) + database_;
    return openStore(storeConfig(url, poolSize), "");
}

Id MysqlBackend::exec(const std::string& sql) const {
    auto connection = connectMysql(baseUrl_, database_);
    std::unique_ptr<sql::Statement> statement(connection->createStatement());
    if (statement->execute(sql)) {
        std::unique_ptr<sql::ResultSet> unused(statement->getResultSet());
    }
    std::unique_ptr<sql::ResultSet> rs(statement->executeQuery("SELECT LAST_INSERT_ID()"));
    return rs->next() ? rs->getInt64(1) : 0;
}

}  // namespace mailsift::store::testing
