// MysqlStore: reading results back and managing jobs (delete, pause, resume), all scoped to the
// account. Results are read by primary-key range (job_id, pos), one bounded page per query:
// Connector/C++ buffers a whole result set client-side, so a download never asks for more than
// one page at a time.

#include <future>
#include <string>

#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"

namespace mailsift::store::mysql {

namespace {

/// Rows per page of scanResults: big enough to amortise the round trip and the query, small
/// enough to keep memory flat (Connector/C++ buffers a page client-side; with the page being
/// written and the next one being fetched, a scan holds about 4 x 10,000 short rows).
constexpr int kScanPage = 10000;

bool ownsJob(Connection& c, Id accountId, Id jobId) {
    return c.queryInteger("SELECT COUNT(*) FROM jobs WHERE id = ? AND account_id = ?",
                          {jobId, accountId}) > 0;
}

/// `limit` rows from `fromPos` on; with `finishedOnly`, rows without a result are skipped and
/// `classifiers` (when not empty) filters them.
std::vector<store::ResultRow> readPage(Connection& c, Id accountId, Id jobId, std::int64_t fromPos,
                                       int limit, bool finishedOnly,
                                       const std::vector<std::string>& classifiers) {
    std::string sql =
        std::string(kResultSelect) + " WHERE r.job_id = ? AND j.account_id = ? AND r.pos >= ?";
    std::vector<Param> params{jobId, accountId, fromPos};
    if (finishedOnly) {
        sql += " AND r.score IS NOT NULL";
        if (!classifiers.empty()) {
            sql += " AND r.classifier IN (?";
            for (std::size_t i = 1; i < classifiers.size(); ++i) {
                sql += ", ?";
            }
            sql += ")";
            params.insert(params.end(), classifiers.begin(), classifiers.end());
        }
    }
    sql += " ORDER BY r.pos LIMIT ?";
    params.emplace_back(std::int64_t{limit});
    auto rs = c.query(sql, params);
    return readRows(*rs, [](const ResultRow& r) { return resultFromRow(r); });
}

}  // namespace

std::vector<store::ResultRow> MysqlStore::readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                                      int limit) {
    if (limit <= 0 || fromPos < 0) {
        return {};
    }
    return pool_.run(
        [&](Connection& c) { return readPage(c, accountId, jobId, fromPos, limit, false, {}); });
}

bool MysqlStore::scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                             const std::function<bool(const store::ResultRow&)>& each) {
    if (!pool_.run([&](Connection& c) { return ownsJob(c, accountId, jobId); })) {
        return false;
    }
    // The connection goes back to the pool between pages, so a slow reader holds none while
    // `each` runs. While `each` works through one page, the next one is fetched on another
    // thread, so the database's time per page overlaps the writing instead of adding to it.
    const auto fetch = [&](std::int64_t from) {
        return pool_.run([&](Connection& c) {
            return readPage(c, accountId, jobId, from, kScanPage, true, classifiers);
        });
    };
    auto page = fetch(0);
    for (;;) {
        const bool more = page.size() == static_cast<std::size_t>(kScanPage);
        // When `each` stops or throws, the destructor of `next` waits for the fetch.
        std::future<std::vector<store::ResultRow>> next;
        if (more) {
            next = std::async(std::launch::async, fetch, page.back().pos + 1);
        }
        for (const store::ResultRow& row : page) {
            if (!each(row)) {
                return true;
            }
        }
        if (!more) {
            return true;
        }
        page = next.get();
    }
}

bool MysqlStore::deleteJob(Id accountId, Id jobId) {
    return pool_.transaction([&](Connection& c) {
        if (!ownsJob(c, accountId, jobId)) {
            return false;
        }
        // Chunks first (the lock order of commitChunk and leaseChunk starts at the chunk): a
        // commit holding its chunk finishes before this deletes it; a commit that comes later
        // finds its chunk gone and answers leaseLost, writing nothing.
        c.update("DELETE FROM chunks WHERE job_id = ?", {jobId});
        c.update("DELETE FROM job_rows WHERE job_id = ?", {jobId});
        c.update("DELETE FROM jobs WHERE id = ?", {jobId});
        return true;
    });
}

std::optional<JobRecord> MysqlStore::setJobPaused(Id accountId, Id jobId, bool paused,
                                                  TimePoint /*now*/) {
    return pool_.transaction([&](Connection& c) -> std::optional<JobRecord> {
        // Pausing moves pending/running to paused; resuming goes back to running when a chunk
        // was ever leased (last_lease_at > 0), else to pending. Other states stay as they are.
        if (paused) {
            c.update(
                "UPDATE jobs SET state = 'paused' WHERE id = ? AND account_id = ? AND state IN "
                "('pending', 'running')",
                {jobId, accountId});
        } else {
            c.update(
                "UPDATE jobs SET state = CASE WHEN last_lease_at > 0 THEN 'running' ELSE "
                "'pending' END WHERE id = ? AND account_id = ? AND state = 'paused'",
                {jobId, accountId});
        }
        auto job = jobById(c, jobId);
        if (!job || job->accountId != accountId) {
            return std::nullopt;
        }
        return job;
    });
}

}  // namespace mailsift::store::mysql
