// SqliteStore: reading results back and managing jobs (delete, pause, resume), all scoped to
// the account. Results are read by primary-key range (job_id, pos), one page per query.

#include <string>

#include "store/row_mapping.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {

namespace {

using Poco::Data::Session;

/// Rows per page of scanResults: big enough to amortise the query, small enough for flat memory.
constexpr int kScanPage = 5000;

bool ownsJob(sqlite3* db, Id accountId, Id jobId) {
    SqliteStatement st(db, "SELECT 1 FROM jobs WHERE id = ? AND account_id = ?");
    st.bind(1, jobId).bind(2, accountId);
    return st.step();
}

/// `limit` rows from `fromPos` on; with `finishedOnly`, rows without a result are skipped and
/// `classifiers` (when not empty) filters them.
std::vector<ResultRow> readPage(sqlite3* db, Id accountId, Id jobId, std::int64_t fromPos,
                                int limit, bool finishedOnly,
                                const std::vector<std::string>& classifiers) {
    std::string sql =
        std::string(kResultSelect) + " WHERE r.job_id = ? AND j.account_id = ? AND r.pos >= ?";
    if (finishedOnly) {
        sql += " AND r.score IS NOT NULL";
        if (!classifiers.empty()) {
            sql += " AND r.classifier IN (?";
            for (std::size_t i = 1; i < classifiers.size(); ++i) {
                sql += ", ?";
            }
            sql += ")";
        }
    }
    sql += " ORDER BY r.pos LIMIT ?";
    SqliteStatement st(db, sql);
    st.bind(1, jobId).bind(2, accountId).bind(3, fromPos);
    int index = 4;
    if (finishedOnly) {
        for (const auto& classifier : classifiers) {
            st.bind(index++, classifier);
        }
    }
    st.bind(index, std::int64_t{limit});
    std::vector<ResultRow> rows;
    rows.reserve(static_cast<std::size_t>(limit));
    while (st.step()) {
        rows.push_back(resultFromRow(st));
    }
    return rows;
}

}  // namespace

std::vector<ResultRow> SqliteStore::readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                                int limit) {
    if (limit <= 0 || fromPos < 0) {
        return {};
    }
    return withSession([&](Session& s) {
        return readPage(handle(s), accountId, jobId, fromPos, limit, false, {});
    });
}

bool SqliteStore::scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                              const std::function<bool(const ResultRow&)>& each) {
    if (!withSession([&](Session& s) { return ownsJob(handle(s), accountId, jobId); })) {
        return false;
    }
    // The session goes back to the pool between pages, so a slow reader (a download to a slow
    // client) holds no session and no read snapshot while `each` runs.
    std::int64_t next = 0;
    for (;;) {
        const auto page = withSession([&](Session& s) {
            return readPage(handle(s), accountId, jobId, next, kScanPage, true, classifiers);
        });
        for (const ResultRow& row : page) {
            if (!each(row)) {
                return true;
            }
        }
        if (page.size() < static_cast<std::size_t>(kScanPage)) {
            return true;
        }
        next = page.back().pos + 1;
    }
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
