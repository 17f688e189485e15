#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/config.h"
#include "store/store.h"

namespace mailsift::store {

/// What a `store.url` names.
struct StoreLocation {
    enum class Backend { Sqlite, Mysql };
    Backend backend = Backend::Sqlite;
    std::string sqlitePath;  ///< absolute path, or ":memory:"
    std::string host;        ///< MySQL only, from here on
    std::uint16_t port = 3306;
    std::string user;  ///< percent-decoded
    std::string password;
    std::string database;
};

/// Parses `sqlite://relative/path.db` (resolved against `baseDir`), `sqlite:///abs/path.db`,
/// `sqlite::memory:` or `mysql://user:pass@host[:port]/database` (user and password may be
/// percent-encoded; the port defaults to 3306). Throws std::invalid_argument saying which form
/// is expected; the message never contains the password.
StoreLocation parseStoreUrl(const std::string& url, const std::string& baseDir);

/// Opens the store that `config.url` names, with the config's pool size and timeouts; relative
/// SQLite paths are taken from `baseDir` and the file's folder is created. Does not migrate: the
/// caller runs migrate() at start-up. Throws std::invalid_argument for a bad URL and StoreError
/// when the database cannot be opened.
std::unique_ptr<Store> openStore(const config::StoreConfig& config, const std::string& baseDir);

}  // namespace mailsift::store
