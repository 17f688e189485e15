#include "store/store_factory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace mailsift::store {
namespace {

using Backend = StoreLocation::Backend;

std::string invalidMessage(const std::string& url) {
    try {
        parseStoreUrl(url, "/base");
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(StoreUrl, SqliteRelativePathIsResolvedAgainstTheBaseDir) {
    const auto location = parseStoreUrl("sqlite://data/mailsift.db", "/etc/mailsift");
    EXPECT_EQ(location.backend, Backend::Sqlite);
    EXPECT_EQ(location.sqlitePath, "/etc/mailsift/data/mailsift.db");
    EXPECT_EQ(parseStoreUrl("sqlite://../x.db", "/etc/mailsift").sqlitePath, "/etc/x.db");
}

TEST(StoreUrl, SqliteAbsolutePath) {
    const auto location = parseStoreUrl("sqlite:///var/lib/mailsift/mailsift.db", "/etc");
    EXPECT_EQ(location.backend, Backend::Sqlite);
    EXPECT_EQ(location.sqlitePath, "/var/lib/mailsift/mailsift.db");
}

TEST(StoreUrl, SqliteInMemory) {
    const auto location = parseStoreUrl("sqlite::memory:", "/etc");
    EXPECT_EQ(location.backend, Backend::Sqlite);
    EXPECT_EQ(location.sqlitePath, ":memory:");
}

TEST(StoreUrl, MysqlFullForm) {
    const auto location = parseStoreUrl("mysql://ms:secret@db.internal:3307/mailsift", "/x");
    EXPECT_EQ(location.backend, Backend::Mysql);
    EXPECT_EQ(location.user, "ms");
    EXPECT_EQ(location.password, "secret");
    EXPECT_EQ(location.host, "db.internal");
    EXPECT_EQ(location.port, 3307);
    EXPECT_EQ(location.database, "mailsift");
}

TEST(StoreUrl, MysqlDefaultPortAndPercentDecoding) {
    const auto location = parseStoreUrl("mysql://us%40er:p%3Aa%2Fss%40word@127.0.0.1/db", "");
    EXPECT_EQ(location.user, "us@er");
    EXPECT_EQ(location.password, "p:a/ss@word");
    EXPECT_EQ(location.host, "127.0.0.1");
    EXPECT_EQ(location.port, 3306);
    EXPECT_EQ(location.database, "db");
}

TEST(StoreUrl, MysqlPasswordMayContainARawAt) {
    const auto location = parseStoreUrl("mysql://u:p@ss@h:1/d", "");
    EXPECT_EQ(location.password, "p@ss");
    EXPECT_EQ(location.host, "h");
}

TEST(StoreUrl, MysqlIpv6Host) {
    const auto location = parseStoreUrl("mysql://u:p@[::1]:3310/d", "");
    EXPECT_EQ(location.host, "::1");
    EXPECT_EQ(location.port, 3310);
}

TEST(StoreUrl, BadUrlsSayWhatIsExpected) {
    EXPECT_NE(invalidMessage("postgres://u:p@h/d").find("expected sqlite://"), std::string::npos);
    EXPECT_NE(invalidMessage("").find("expected"), std::string::npos);
    EXPECT_NE(invalidMessage("sqlite://").find("expected sqlite://"), std::string::npos);
    for (const char* url :
         {"mysql://h/d", "mysql://u:p@h", "mysql://u:p@h/", "mysql://u:p@h:0/d",
          "mysql://u:p@h:70000/d", "mysql://u:p@h:x/d", "mysql://u:p@h:/d", "mysql://u:p@:1/d",
          "mysql://:p@h/d", "mysql://u:p%zz@h/d", "mysql://u:p%4@h/d", "mysql://u:p@[::1/d"}) {
        const std::string message = invalidMessage(url);
        EXPECT_NE(message.find("expected mysql://user:password@host:port/database"),
                  std::string::npos)
            << url << " -> " << message;
    }
}

TEST(StoreUrl, MessagesNeverContainThePassword) {
    EXPECT_EQ(invalidMessage("mysql://u:hunter2@h:99999/d").find("hunter2"), std::string::npos);
    EXPECT_EQ(invalidMessage("mysql://u:hunter2%zz@h/d").find("hunter2"), std::string::npos);
}

TEST(OpenStore, CreatesTheSqliteFolderAndOpensAWorkingStore) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("mailsift-factory-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    config::StoreConfig config;
    config.url = "sqlite://nested/folder/store.db";
    auto store = openStore(config, dir.string());
    EXPECT_EQ(store->backend(), "sqlite");
    EXPECT_TRUE(std::filesystem::is_directory(dir / "nested" / "folder"));
    EXPECT_GT(store->migrate(), 0);
    EXPECT_TRUE(std::filesystem::exists(dir / "nested" / "folder" / "store.db"));
    store->ping();
    store.reset();
    std::filesystem::remove_all(dir);
}

TEST(OpenStore, InMemorySqliteWorks) {
    config::StoreConfig config;
    config.url = "sqlite::memory:";
    auto store = openStore(config, "/");
    EXPECT_GT(store->migrate(), 0);
    store->createAccount("a", TimePoint{});
    EXPECT_EQ(store->countAccounts(), 1);
}

TEST(OpenStore, MysqlIsSelectedByTheUrlAndConnectsLazily) {
    config::StoreConfig config;
    config.url = "mysql://u:s3cretpw@127.0.0.1:1/d";
    config.busyTimeoutMs = 1000;
    auto store = openStore(config, "");
    EXPECT_EQ(store->backend(), "mysql");
    try {
        store->ping();
        ADD_FAILURE() << "ping to a closed port succeeded";
    } catch (const StoreError& e) {
        EXPECT_EQ(std::string(e.what()).find("s3cretpw"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("u@127.0.0.1:1/d"), std::string::npos) << e.what();
    }
}

TEST(OpenStore, RejectsAPoolSizeBelowOne) {
    config::StoreConfig config;
    config.url = "sqlite::memory:";
    config.poolSize = 0;
    EXPECT_THROW(openStore(config, "/"), std::invalid_argument);
}

}  // namespace
}  // namespace mailsift::store
