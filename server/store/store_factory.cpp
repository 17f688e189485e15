#include "store/store_factory.h"

#include <charconv>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "store/mysql/mysql_store.h"
#include "store/sqlite/sqlite_store.h"

namespace mailsift::store {

namespace {

constexpr std::string_view kSqliteScheme = "sqlite://";
constexpr std::string_view kMysqlScheme = "mysql://";
constexpr std::string_view kSqliteMemory = "sqlite::memory:";

[[noreturn]] void badMysqlUrl(const std::string& why) {
    throw std::invalid_argument("store.url: " + why +
                                "; expected mysql://user:password@host:port/database "
                                "(port optional, user and password percent-encoded)");
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

std::string percentDecode(std::string_view text, const char* what) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        const int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
        const int low = high >= 0 ? hexValue(text[i + 2]) : -1;
        if (high < 0 || low < 0) {
            badMysqlUrl(std::string("the ") + what + " has a bad percent escape");
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

StoreLocation parseSqlite(std::string_view rest, const std::string& baseDir) {
    if (rest.empty()) {
        throw std::invalid_argument(
            "store.url: the SQLite path is empty; expected sqlite://relative/path.db, "
            "sqlite:///absolute/path.db or sqlite::memory:");
    }
    StoreLocation location;
    location.backend = StoreLocation::Backend::Sqlite;
    std::filesystem::path path(rest);
    if (path.is_relative()) {
        path = std::filesystem::path(baseDir.empty() ? "." : baseDir) / path;
    }
    location.sqlitePath = std::filesystem::absolute(path).lexically_normal().string();
    return location;
}

StoreLocation parseMysql(std::string_view rest) {
    StoreLocation location;
    location.backend = StoreLocation::Backend::Mysql;
    const auto at = rest.rfind('@');
    if (at == std::string_view::npos) {
        badMysqlUrl("user and password are missing");
    }
    const std::string_view credentials = rest.substr(0, at);
    std::string_view hostPart = rest.substr(at + 1);
    const auto colon = credentials.find(':');
    location.user = percentDecode(credentials.substr(0, colon), "user");
    if (colon != std::string_view::npos) {
        location.password = percentDecode(credentials.substr(colon + 1), "password");
    }
    if (location.user.empty()) {
        badMysqlUrl("the user is empty");
    }
    const auto slash = hostPart.find('/');
    if (slash == std::string_view::npos || slash + 1 == hostPart.size()) {
        badMysqlUrl("the database name is missing");
    }
    location.database = percentDecode(hostPart.substr(slash + 1), "database");
    if (location.database.find_first_of("/?#`") != std::string::npos) {
        badMysqlUrl("the database name contains / ? # or `");
    }
    hostPart = hostPart.substr(0, slash);
    std::string_view portText;
    bool hasPort = false;
    if (!hostPart.empty() && hostPart.front() == '[') {
        const auto close = hostPart.find(']');
        if (close == std::string_view::npos) {
            badMysqlUrl("an IPv6 host lacks its closing ]");
        }
        location.host = std::string(hostPart.substr(1, close - 1));
        const std::string_view after = hostPart.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                badMysqlUrl("unexpected text after the IPv6 host");
            }
            portText = after.substr(1);
            hasPort = true;
        }
    } else {
        const auto portColon = hostPart.rfind(':');
        location.host = std::string(hostPart.substr(0, portColon));
        if (portColon != std::string_view::npos) {
            portText = hostPart.substr(portColon + 1);
            hasPort = true;
        }
    }
    if (location.host.empty()) {
        badMysqlUrl("the host is empty");
    }
    if (hasPort) {
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(portText.data(), portText.data() + portText.size(), value);
        if (ec != std::errc() || end != portText.data() + portText.size() || value == 0 ||
            value > 65535) {
            badMysqlUrl("the port is not a number from 1 to 65535");
        }
        location.port = static_cast<std::uint16_t>(value);
    }
    return location;
}

}  // namespace

StoreLocation parseStoreUrl(const std::string& url, const std::string& baseDir) {
    const std::string_view view(url);
    if (view == kSqliteMemory) {
        StoreLocation location;
        location.sqlitePath = ":memory:";
        return location;
    }
    if (view.starts_with(kSqliteScheme)) {
        return parseSqlite(view.substr(kSqliteScheme.size()), baseDir);
    }
    if (view.starts_with(kMysqlScheme)) {
        return parseMysql(view.substr(kMysqlScheme.size()));
    }
    throw std::invalid_argument(
        "store.url: unknown form; expected sqlite://path/to/file.db (relative to the config "
        "file's folder), sqlite:///absolute/path.db, sqlite::memory: or "
        "mysql://user:password@host:port/database");
}

std::unique_ptr<Store> openStore(const config::StoreConfig& config, const std::string& baseDir) {
    const StoreLocation location = parseStoreUrl(config.url, baseDir);
    if (config.poolSize < 1) {
        throw std::invalid_argument("store.poolSize must be at least 1");
    }
    if (location.backend == StoreLocation::Backend::Sqlite) {
        if (location.sqlitePath != ":memory:") {
            const auto folder = std::filesystem::path(location.sqlitePath).parent_path();
            std::error_code ec;
            std::filesystem::create_directories(folder, ec);
            if (ec) {
                throw StoreError("sqlite: cannot create the folder " + folder.string() + ": " +
                                 ec.message());
            }
        }
        return std::make_unique<sqlite::SqliteStore>(location.sqlitePath, config.poolSize,
                                                     config.busyTimeoutMs);
    }
    mysql::ConnectionSettings settings;
    settings.host = location.host;
    settings.port = location.port;
    settings.user = location.user;
    settings.password = location.password;
    settings.database = location.database;
    settings.connectTimeoutMs = config.busyTimeoutMs;
    return std::make_unique<mysql::MysqlStore>(std::move(settings), config.poolSize);
}

}  // namespace mailsift::store
