#pragma once

#include <span>
#include <string>
#include <vector>

namespace mailsift::store::migrations {

/// One numbered schema change, written once per back-end. Applied in version order, each at most
/// once per database; the applied ones are recorded in `schema_migrations`.
struct Migration {
    int version;         ///< 1, 2, 3, ... ascending
    const char* name;    ///< short snake_case description, stored in schema_migrations
    const char* sqlite;  ///< statements separated by ';'
    const char* mysql;   ///< statements separated by ';' (make DDL re-runnable: IF NOT EXISTS)
};

/// Every migration, oldest first. The list is append-only: never edit a released migration.
std::span<const Migration> all();

/// Highest version in all().
int latestVersion();

/// Creates the bookkeeping table (the same text works on both back-ends).
const char* schemaMigrationsDdl();

/// Splits a migration script into single statements (on ';' outside quotes and comments), so
/// drivers that run one statement per call can execute it. Empty statements are dropped.
std::vector<std::string> splitStatements(const char* script);

}  // namespace mailsift::store::migrations
