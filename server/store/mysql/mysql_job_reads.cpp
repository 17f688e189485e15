// MysqlStore: reading results back and managing jobs (delete, pause, resume), all scoped to the
// account. Results are read by primary-key range (job_id, pos), one bounded page per query:
// Connector/C++ buffers a whole result set client-side, so a download holds a few pages at most.

#include <deque>
#include <future>
#include <iterator>
#include <optional>
#include <string>

#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"

namespace mailsift::store::mysql {

namespace {

/// Positions per page of scanResults: big enough to amortise the round trip and the query, small
/// enough to keep memory flat (Connector/C++ buffers a page client-side).
constexpr std::int64_t kScanPage = 10000;
/// Pages scanResults fetches ahead of the one being handed out, each on its own connection, so
/// the database's time per page overlaps the writing and other fetches instead of adding to them.
/// A scan holds at most this many pages plus one.
constexpr std::size_t kPagesAhead = 2;

bool ownsJob(Connection& c, Id accountId, Id jobId) {
    return c.queryInteger("SELECT COUNT(*) FROM jobs WHERE id = ? AND account_id = ?",
                          {jobId, accountId}) > 0;
}

/// Reads the rows `where` selects (after the account and job conditions) in position order.
std::vector<store::ResultRow> readWhere(Connection& c, Id accountId, Id jobId, std::string where,
                                        std::vector<Param> params) {
    std::vector<Param> all{jobId, accountId};
    all.insert(all.end(), std::make_move_iterator(params.begin()),
               std::make_move_iterator(params.end()));
    // Over the text protocol: these are the bulk reads (result pages, downloads), where a
    // prepared result set's per-cell cost in Connector/C++ outweighs the database's own work.
    auto rs = c.queryText(
        std::string(kResultSelect) + " WHERE r.job_id = ? AND j.account_id = ? AND " + where, all);
    return readRows(*rs, [](const ResultRow& r) { return resultFromRow(r); });
}

/// `limit` rows from `fromPos` on, with a result or not.
std::vector<store::ResultRow> readPage(Connection& c, Id accountId, Id jobId, std::int64_t fromPos,
                                       int limit) {
    return readWhere(c, accountId, jobId, "r.pos >= ? ORDER BY r.pos LIMIT ?",
                     {fromPos, std::int64_t{limit}});
}

/// The rows at positions [from, to) that have a result, of the given classifiers (all when
/// `classifiers` is empty).
std::vector<store::ResultRow> readFinishedRange(Connection& c, Id accountId, Id jobId,
                                                std::int64_t from, std::int64_t to,
                                                const std::vector<std::string>& classifiers) {
    std::string where = "r.pos >= ? AND r.pos < ? AND r.score IS NOT NULL";
    std::vector<Param> params{from, to};
    if (!classifiers.empty()) {
        where += " AND r.classifier IN (?";
        for (std::size_t i = 1; i < classifiers.size(); ++i) {
            where += ", ?";
        }
        where += ")";
        params.insert(params.end(), classifiers.begin(), classifiers.end());
    }
    return readWhere(c, accountId, jobId, where + " ORDER BY r.pos", std::move(params));
}

}  // namespace

std::vector<store::ResultRow> MysqlStore::readResults(Id accountId, Id jobId, std::int64_t fromPos,
                                                      int limit) {
    if (limit <= 0 || fromPos < 0) {
        return {};
    }
    return pool_.run([&](Connection& c) { return readPage(c, accountId, jobId, fromPos, limit); });
}

bool MysqlStore::scanResults(Id accountId, Id jobId, const std::vector<std::string>& classifiers,
                             const std::function<bool(const store::ResultRow&)>& each) {
    // The last position now; rows appended later are not part of this scan.
    const auto last = pool_.run([&](Connection& c) -> std::optional<std::int64_t> {
        if (!ownsJob(c, accountId, jobId)) {
            return std::nullopt;
        }
        return c.queryInteger("SELECT COALESCE(MAX(pos), -1) FROM job_rows WHERE job_id = ?",
                              {jobId});
    });
    if (!last) {
        return false;
    }
    // Pages are ranges of positions, so each can be fetched without waiting for the one before
    // it. Connections go back to the pool between pages: a slow reader holds none while `each`
    // runs. When `each` stops or throws, the destructors of the futures wait for their fetches.
    const auto fetch = [&](std::int64_t from) {
        return pool_.run([&](Connection& c) {
            return readFinishedRange(c, accountId, jobId, from, from + kScanPage, classifiers);
        });
    };
    std::deque<std::future<std::vector<store::ResultRow>>> pages;
    std::int64_t next = 0;
    const auto fetchAhead = [&] {
        while (pages.size() <= kPagesAhead && next <= *last) {
            pages.push_back(std::async(std::launch::async, fetch, next));
            next += kScanPage;
        }
    };
    fetchAhead();
    while (!pages.empty()) {
        const std::vector<store::ResultRow> page = pages.front().get();
        pages.pop_front();
        fetchAhead();
        for (const store::ResultRow& row : page) {
            if (!each(row)) {
                return true;
            }
        }
    }
    return true;
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
