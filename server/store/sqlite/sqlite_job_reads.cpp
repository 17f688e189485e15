// SqliteStore: reading results back and managing jobs (delete, pause, resume), all scoped to
// the account. Result pages are read by primary-key range (job_id, pos); a download steps one
// prepared statement over the job's whole key range as a cursor.

#include <exception>
#include <string>

#include "store/row_mapping.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {

namespace {

using Poco::Data::Session;

/// How long a download's connection waits on a lock (only a WAL recovery or restart holds one).
constexpr int kReadBusyTimeoutMs = 5000;

bool ownsJob(sqlite3* db, Id accountId, Id jobId) {
    SqliteStatement st(db, "SELECT 1 FROM jobs WHERE id = ? AND account_id = ?");
    st.bind(1, jobId).bind(2, accountId);
    return st.step();
}

/// `limit` rows from `fromPos` on, finished or not.
std::vector<ResultRow> readPage(sqlite3* db, Id accountId, Id jobId, std::int64_t fromPos,
                                int limit) {
    SqliteStatement st(db, std::string(kResultSelect) +
                               " WHERE r.job_id = ? AND j.account_id = ? AND r.pos >= ? "
                               "ORDER BY r.pos LIMIT ?");
    st.bind(1, jobId).bind(2, accountId).bind(3, fromPos).bind(4, std::int64_t{limit});
    std::vector<ResultRow> rows;
    rows.reserve(static_cast<std::size_t>(limit));
    while (st.step()) {
        rows.push_back(resultFromRow(st));
    }
    return rows;
}

/// Overwrites `out` with the finished row under `st` (columns of kResultSelect, mapped as
/// resultFromRow does), reusing the capacity of its strings: a scan allocates nothing per row.
void finishedRowInto(const SqliteStatement& st, ResultRow& out) {
    out.pos = st.integer(0);
    st.textInto(1, out.email);
    RowResult& r = out.result ? *out.result : out.result.emplace();
    r.pos = out.pos;
    st.textInto(2, r.classifier);
    st.textInto(3, r.syntax);
    st.textInto(4, r.mx);
    st.textInto(5, r.mailbox);
    r.score = static_cast<int>(st.integer(6));
    st.textInto(7, r.description);
    st.textInto(8, r.smtpResponse);
    st.textInto(9, r.extraJson);
    if (r.extraJson.empty()) {
        r.extraJson = "{}";
    }
}

/// A read-only connection for one scan, closed when this goes away.
class ReadConnection {
  public:
    explicit ReadConnection(const std::string& path) {
        const int rc =
            sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
        if (rc != SQLITE_OK) {
            const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
            sqlite3_close(db_);
            throw StoreError("sqlite: cannot open " + path + " to read: " + message);
        }
        sqlite3_busy_timeout(db_, kReadBusyTimeoutMs);
    }
    ~ReadConnection() { sqlite3_close(db_); }
    ReadConnection(const ReadConnection&) = delete;
    ReadConnection& operator=(const ReadConnection&) = delete;

    sqlite3* db() const { return db_; }

  private:
    sqlite3* db_ = nullptr;
};

/// Calls `each` for every finished row of the job (filtered by `classifiers`) in position order:
/// ONE statement stepped over the job's whole key range, so it is prepared once and the scan reads
/// one snapshot. `each` sees one ResultRow overwritten in place; what it throws is kept in
/// `failure` (to be rethrown as it is, not as a StoreError). False when the job is not the
/// account's.
bool scanCursor(sqlite3* db, Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                const std::function<bool(const ResultRow&)>& each, std::exception_ptr& failure) {
    if (!ownsJob(db, accountId, jobId)) {
        return false;
    }
    std::string sql = std::string(kResultSelect) +
                      " WHERE r.job_id = ? AND j.account_id = ? AND r.score IS NOT NULL";
    if (!classifiers.empty()) {
        sql += " AND r.classifier IN (?";
        for (std::size_t i = 1; i < classifiers.size(); ++i) {
            sql += ", ?";
        }
        sql += ")";
    }
    sql += " ORDER BY r.pos";
    SqliteStatement st(db, sql);
    st.bind(1, jobId).bind(2, accountId);
    int index = 3;
    for (const auto& classifier : classifiers) {
        st.bind(index++, classifier);
    }
    ResultRow row;
    while (st.step()) {
        finishedRowInto(st, row);
        try {
            if (!each(row)) {
                break;
            }
        } catch (...) {
            failure = std::current_exception();
            break;
        }
    }
    return true;
}

}  // namespace

std::vector<ResultRow> SqliteStore::readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                                int limit) {
    if (limit <= 0 || fromPos < 0) {
        return {};
    }
    return withSession(
        [&](Session& s) { return readPage(handle(s), accountId, jobId, fromPos, limit); });
}

bool SqliteStore::scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                              const std::function<bool(const ResultRow&)>& each) {
    // A download runs on a read-only connection of its own (WAL: any number of readers beside
    // the writer), so a slow client holds no pooled session however long it takes; an in-memory
    // database has only its one pooled session.
    std::exception_ptr failure;
    const auto scan = [&](sqlite3* db) {
        return scanCursor(db, accountId, jobId, classifiers, each, failure);
    };
    bool owned = false;
    if (path_ == ":memory:") {
        owned = withSession([&](Session& s) { return scan(handle(s)); });
    } else {
        ReadConnection connection(path_);
        owned = scan(connection.db());
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    return owned;
}

bool SqliteStore::deleteJob(Id accountId, Id jobId) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            if (!ownsJob(db, accountId, jobId)) {
                return false;
            }
            // Chunks first: a lease whose chunk row is gone can neither renew nor commit, and
            // since this transaction holds the write lock no commit can run in between.
            for (const char* sql :
                 {"DELETE FROM chunks WHERE job_id = ?", "DELETE FROM job_rows WHERE job_id = ?"}) {
                SqliteStatement st(db, sql);
                st.bind(1, jobId).run();
            }
            SqliteStatement job(db, "DELETE FROM jobs WHERE id = ?");
            job.bind(1, jobId).run();
            return true;
        });
    });
}

std::optional<JobRecord> SqliteStore::setJobPaused(Id accountId, Id jobId, bool paused,
                                                   TimePoint /*now*/) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&]() -> std::optional<JobRecord> {
            sqlite3* db = handle(s);
            // Pausing moves pending/running to paused; resuming goes back to running when a chunk
            // was ever leased (last_lease_at > 0), else to pending. Other states stay as they are.
            SqliteStatement change(
                db, paused ? "UPDATE jobs SET state = 'paused' WHERE id = ? AND account_id = ? AND "
                             "state IN ('pending', 'running')"
                           : "UPDATE jobs SET state = CASE WHEN last_lease_at > 0 THEN 'running' "
                             "ELSE 'pending' END WHERE id = ? AND account_id = ? AND state = "
                             "'paused'");
            change.bind(1, jobId).bind(2, accountId).run();
            auto job = jobById(db, jobId);
            if (!job || job->accountId != accountId) {
                return std::nullopt;
            }
            return job;
        });
    });
}

}  // namespace mailsift::store::sqlite
