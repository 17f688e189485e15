#pragma once

// The two back-ends as the conformance suite sees them: each gives a fresh, empty database per
// test, opens a Store on it through openStore() (the production path), and can run SQL on the
// same database over its own connection, to set up rows that no Store member writes yet.

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace mailsift::store::testing {

class SqliteBackend {
  public:
    static constexpr const char* kName = "Sqlite";
    /// Makes an empty temporary folder for the database file.
    void setUp();
    void tearDown();
    std::unique_ptr<Store> open(int poolSize = 4) const;
    /// Runs one statement on the test database; returns the id of the row it inserted, if any.
    Id exec(const std::string& sql) const;

  private:
    std::filesystem::path dir_;
};

class MysqlBackend {
  public:
    static constexpr const char* kName = "Mysql";
    /// Creates mailsift_t_<pid>_<n> with the credentials of MAILSIFT_TEST_MYSQL_URL; a fatal
    /// test failure when the variable is unset or the server cannot be reached.
    void setUp();
    /// Drops the database.
    void tearDown();
    std::unique_ptr<Store> open(int poolSize = 4) const;
    Id exec(const std::string& sql) const;
    const std::string& database() const { return database_; }

  private:
    std::string baseUrl_;  ///< MAILSIFT_TEST_MYSQL_URL
    std::string database_;
};

}  // namespace mailsift::store::testing
