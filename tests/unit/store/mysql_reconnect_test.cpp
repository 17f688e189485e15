// Restarts the shared MariaDB under a live MysqlStore (so ctest runs it with RUN_SERIAL) and shows
// that every kind of call works again without reopening the store.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "store/migrations/migrations.h"
#include "store/store.h"
#include "store_test_backends.h"

namespace mailsift::store {
namespace {

TimePoint at(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}

/// Runs `mariadb.sh <action> DIR PORT` as ctest configured it.
void controlMariadb(const std::string& action) {
    const char* ctl = std::getenv("MAILSIFT_TEST_MARIADB_CTL");
    const char* dir = std::getenv("MAILSIFT_TEST_MARIADB_DIR");
    const char* port = std::getenv("MAILSIFT_TEST_MYSQL_PORT");
    ASSERT_TRUE(ctl != nullptr && dir != nullptr && port != nullptr)
        << "MAILSIFT_TEST_MARIADB_CTL, MAILSIFT_TEST_MARIADB_DIR and MAILSIFT_TEST_MYSQL_PORT "
           "must be set (ctest sets them for tests labelled mysql)";
    const std::string command =
        std::string("'") + ctl + "' " + action + " '" + dir + "' " + port + " >/dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

class MysqlReconnect : public ::testing::Test {
  protected:
    void SetUp() override {
        backend_.setUp();
        if (HasFatalFailure()) {
            return;
        }
        store_ = backend_.open(2);
        ASSERT_EQ(store_->migrate(), static_cast<int>(migrations::all().size()));
    }

    void TearDown() override {
        store_.reset();
        backend_.tearDown();
    }

    /// Uses every member once, so each statement is prepared on the pooled connections.
    void useEverything(const std::string& tag, std::int64_t expectedAccounts) {
        Store& s = *store_;
        s.ping();
        EXPECT_EQ(s.schemaVersion(), migrations::latestVersion());
        EXPECT_EQ(s.migrate(), 0);
        const Account account = s.createAccount("acct-" + tag, at(10));
        EXPECT_THROW(s.createAccount("acct-" + tag, at(11)), StoreConflict);
        ASSERT_TRUE(s.findAccount("acct-" + tag).has_value());
        EXPECT_EQ(s.countAccounts(), expectedAccounts);
        const ApiKeyRecord key = s.createApiKey(account.id, "lk-" + tag, "hash", at(20));
        ASSERT_TRUE(s.findApiKey("lk-" + tag).has_value());
        EXPECT_EQ(s.listApiKeys().size(), static_cast<std::size_t>(expectedAccounts));
        EXPECT_TRUE(s.revokeApiKey(key.id, at(30)));
        EXPECT_FALSE(s.revokeApiKey(key.id, at(31)));
        const Id job = backend_.exec(
            "INSERT INTO jobs (account_id, label, state, source, created_at) VALUES (" +
            std::to_string(account.id) + ", 'j', 'pending', 'file', 40)");
        ASSERT_EQ(s.listJobs(account.id).size(), 1u);
        ASSERT_TRUE(s.findJob(account.id, job).has_value());
    }

    testing::MysqlBackend backend_;
    std::unique_ptr<Store> store_;
};

TEST_F(MysqlReconnect, StoreWorksAgainAfterAServerRestart) {
    useEverything("before", 1);
    controlMariadb("restart");
    if (HasFatalFailure()) {
        return;
    }
    useEverything("after", 2);
    // A second restart: the connections made after the first one are stale again.
    controlMariadb("restart");
    if (HasFatalFailure()) {
        return;
    }
    useEverything("again", 3);
}

TEST_F(MysqlReconnect, CallsFailCleanlyWhileTheServerIsDownAndRecoverAfter) {
    useEverything("before", 1);
    controlMariadb("stop");
    if (HasFatalFailure()) {
        return;
    }
    EXPECT_THROW(store_->ping(), StoreError);
    EXPECT_THROW(store_->countAccounts(), StoreError);
    controlMariadb("start");
    if (HasFatalFailure()) {
        return;
    }
    useEverything("after", 2);
}

}  // namespace
}  // namespace mailsift::store
