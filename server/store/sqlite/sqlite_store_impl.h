#pragma once

// Definitions of SqliteStore's private templates, shared by the .cpp files that implement it
// (sqlite_store.cpp: accounts and keys; sqlite_job_store.cpp: jobs). Not for other modules.

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <sqlite3.h>

#include "store/row_mapping.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store.h"

namespace mailsift::store::sqlite {

inline sqlite3* handle(Poco::Data::Session& session) {
    return Poco::Data::SQLite::Utility::dbHandle(session);
}

/// The job with this id, whatever its account; nullopt when there is none.
inline std::optional<JobRecord> jobById(sqlite3* db, Id jobId) {
    SqliteStatement st(db, std::string(kJobSelect) + " WHERE id = ?");
    st.bind(1, jobId);
    if (!st.step()) {
        return std::nullopt;
    }
    return jobFromRow(st);
}

/// The outbox: writes one pending delivery of `event` about the job for every active subscription
/// of its account that asks for it. Call inside the transaction that changes the job's state.
void writeJobEvent(sqlite3* db, Id jobId, const std::string& event, std::int64_t nowMs);

template <class Fn>
inline auto SqliteStore::withSession(Fn&& fn) {
    auto lease = pool_.acquire();
    try {
        return fn(*lease);
    } catch (const Poco::Data::SQLite::ConstraintViolationException& e) {
        const std::string text = e.displayText();
        if (text.find("UNIQUE") != std::string::npos ||
            text.find("PRIMARY KEY") != std::string::npos) {
            throw StoreConflict("sqlite: " + text);
        }
        throw StoreError("sqlite: " + text);
    } catch (const Poco::Exception& e) {
        throw StoreError("sqlite: " + e.displayText());
    }
}

template <class Fn>
inline auto SqliteStore::inTransaction(Poco::Data::Session& session, Fn&& fn) {
    session << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
    try {
        auto result = fn();
        session << "COMMIT", Poco::Data::Keywords::now;
        return result;
    } catch (...) {
        if (sqlite3_get_autocommit(handle(session)) == 0) {
            session << "ROLLBACK", Poco::Data::Keywords::now;
        }
        throw;
    }
}

}  // namespace mailsift::store::sqlite
