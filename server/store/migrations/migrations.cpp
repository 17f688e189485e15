#include "store/migrations/migrations.h"

#include <array>

#include "store/migrations/m0001_initial.h"
#include "store/migrations/m0002_job_leasing.h"
#include "store/migrations/m0003_webhooks.h"
#include "store/migrations/m0004_integration_tasks.h"

namespace mailsift::store::migrations {

// How to add a migration (later issues): write mNNNN_<name>.h beside m0001_initial.h with one
// statement list per back-end, include it here and append {NNNN, "<name>", kSqlite, kMysql} to
// the table below. Never change or reorder an entry that has been released; fix forward instead.
// MySQL DDL is not transactional, so write MySQL statements that can run twice (IF NOT EXISTS,
// indexes inside CREATE TABLE) in case a server dies half-way through a migration.
std::span<const Migration> all() {
    static constexpr std::array kMigrations{
        Migration{1, "initial", kInitialSqlite, kInitialMysql},
        Migration{2, "job_leasing", kJobLeasingSqlite, kJobLeasingMysql},
        Migration{3, "webhooks", kWebhooksSqlite, kWebhooksMysql},
        Migration{4, "integration_tasks", kIntegrationTasksSqlite, kIntegrationTasksMysql},
    };
    return kMigrations;
}

int latestVersion() {
    return all().empty() ? 0 : all().back().version;
}

const char* schemaMigrationsDdl() {
    return "CREATE TABLE IF NOT EXISTS schema_migrations ("
           "version INTEGER NOT NULL PRIMARY KEY, "
           "name VARCHAR(200) NOT NULL, "
           "applied_at BIGINT NOT NULL)";
}

std::vector<std::string> splitStatements(const char* script) {
    std::vector<std::string> statements;
    std::string current;
    auto flush = [&] {
        const auto first = current.find_first_not_of(" \t\r\n");
        if (first != std::string::npos) {
            const auto last = current.find_last_not_of(" \t\r\n");
            statements.push_back(current.substr(first, last - first + 1));
        }
        current.clear();
    };
    char quote = 0;
    for (const char* p = script; *p != '\0'; ++p) {
        const char c = *p;
        if (quote != 0) {
            current += c;
            if (c == quote) {
                quote = 0;
            }
        } else if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            current += c;
        } else if (c == '-' && p[1] == '-') {
            while (*p != '\0' && *p != '\n') {
                ++p;
            }
            if (*p == '\0') {
                break;
            }
            current += '\n';
        } else if (c == ';') {
            flush();
        } else {
            current += c;
        }
    }
    flush();
    return statements;
}

}  // namespace mailsift::store::migrations
