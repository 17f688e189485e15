// MysqlStore: integration tasks (background import and write-back of integration jobs). A task
// row is locked FOR UPDATE (SKIP LOCKED when leasing) before its job row, the order every
// transaction here keeps.

#include "store/integration_task_sql.h"
#include "store/lease_token.h"
#include "store/mysql/mysql_rows.h"
#include "store/mysql/mysql_store.h"

namespace mailsift::store::mysql {
namespace {

constexpr std::size_t kInsertBatch = 500;

bool lockHeldTask(Connection& c, const IntegrationTask& task) {
    auto rs = c.query(
        "SELECT 1 FROM integration_tasks WHERE job_id = ? AND lease_owner = ? AND lease_token = ? "
        "AND state <> 'done' FOR UPDATE",
        {task.jobId, task.owner, task.token});
    return rs->next();
}

}  // namespace

JobRecord MysqlStore::createIntegrationJob(const NewJob& job, bool writeBack, TimePoint now) {
    if (!job.integrationId)
        throw std::invalid_argument("createIntegrationJob: the job needs an integration id");
    return pool_.transaction([&](Connection& c) {
        c.update(
            "INSERT INTO jobs (account_id, label, state, source, integration_id, "
            "integration_system, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)",
            {job.accountId, job.label, job.source, *job.integrationId, job.integrationSystem,
             toEpochMillis(now)});
        const Id jobId = c.lastInsertId();
        c.update(
            "INSERT INTO integration_tasks (job_id, integration_id, write_back) VALUES (?, ?, ?)",
            {jobId, *job.integrationId, std::int64_t{writeBack ? 1 : 0}});
        return *jobById(c, jobId);
    });
}

std::optional<IntegrationTask> MysqlStore::leaseIntegrationTask(const std::string& owner,
                                                                TimePoint now,
                                                                std::chrono::milliseconds ttl) {
    return pool_.transaction([&](Connection& c) -> std::optional<IntegrationTask> {
        const std::int64_t nowMs = toEpochMillis(now);
        auto rs = c.query(std::string(kDueIntegrationTasks) + " FOR UPDATE SKIP LOCKED", {nowMs});
        if (!rs->next())
            return std::nullopt;
        const ResultRow row(*rs);
        IntegrationTask task;
        task.jobId = row.integer(0);
        task.accountId = row.integer(1);
        task.integrationId = row.integer(2);
        task.state = row.text(3) == "importing" ? "importing" : "writing";
        task.cursor = row.text(4);
        task.nextPos = row.integer(5);
        task.attempts = static_cast<int>(row.integer(6)) + 1;
        rs.reset();
        task.owner = owner;
        task.token = newLeaseToken();
        c.update(
            "UPDATE integration_tasks SET state = ?, lease_owner = ?, lease_token = ?, "
            "lease_expires_at = ?, attempts = ? WHERE job_id = ?",
            {task.state, owner, task.token, nowMs + ttl.count(), std::int64_t{task.attempts},
             task.jobId});
        return task;
    });
}

bool MysqlStore::renewIntegrationTask(const IntegrationTask& task, TimePoint now,
                                      std::chrono::milliseconds ttl) {
    return pool_.run([&](Connection& c) {
        return c.update(
                   "UPDATE integration_tasks SET lease_expires_at = ? WHERE job_id = ? AND "
                   "lease_owner = ? AND lease_token = ? AND state <> 'done'",
                   {toEpochMillis(now) + ttl.count(), task.jobId, task.owner, task.token}) == 1;
    });
}

bool MysqlStore::appendImportPage(IntegrationTask& task, const std::vector<JobRow>& rows,
                                  const std::string& nextCursor) {
    const bool stored = pool_.transaction([&](Connection& c) {
        if (!lockHeldTask(c, task))
            return false;
        auto job = c.query("SELECT sealed FROM jobs WHERE id = ? FOR UPDATE", {task.jobId});
        if (!job->next() || ResultRow(*job).integer(0) != 0)
            return false;
        job.reset();
        c.update("UPDATE jobs SET email_count = email_count + ? WHERE id = ?",
                 {static_cast<std::int64_t>(rows.size()), task.jobId});
        std::int64_t pos = task.nextPos;
        for (std::size_t start = 0; start < rows.size(); start += kInsertBatch) {
            const std::size_t end = std::min(rows.size(), start + kInsertBatch);
            std::string sql = "INSERT INTO job_rows (job_id, pos, email, dup_of) VALUES ";
            std::vector<Param> params;
            params.reserve((end - start) * 4);
            for (std::size_t i = start; i < end; ++i) {
                if (rows[i].pos != pos)
                    throw std::invalid_argument("appendImportPage: positions must follow nextPos");
                sql += i == start ? "(?,?,?,?)" : ",(?,?,?,?)";
                params.emplace_back(task.jobId);
                params.emplace_back(rows[i].pos);
                params.emplace_back(rows[i].email);
                params.emplace_back(rows[i].dupOf < 0 ? std::int64_t{-1} : rows[i].dupOf);
                ++pos;
            }
            c.update(sql, params);
        }
        c.update("UPDATE integration_tasks SET page_cursor = ?, next_pos = ? WHERE job_id = ?",
                 {nextCursor, pos, task.jobId});
        return true;
    });
    if (stored) {
        task.nextPos += static_cast<std::int64_t>(rows.size());
        task.cursor = nextCursor;
    }
    return stored;
}

bool MysqlStore::finishImport(const IntegrationTask& task, std::int64_t chunkSize, TimePoint now) {
    const bool held = pool_.run([&](Connection& c) {
        auto rs = c.query(
            "SELECT 1 FROM integration_tasks WHERE job_id = ? AND lease_owner = ? AND "
            "lease_token = ? AND state <> 'done'",
            {task.jobId, task.owner, task.token});
        return rs->next();
    });
    if (!held)
        return false;
    // Sealing first: if the process dies before the task moves on, the sealed job is no longer
    // an import candidate, and a write-back task is still found once the job is done.
    sealJob(task.jobId, chunkSize, now);
    return pool_.run([&](Connection& c) {
        return c.update(
                   "UPDATE integration_tasks SET state = CASE WHEN write_back = 1 THEN "
                   "'awaiting' ELSE 'done' END, lease_owner = NULL, lease_expires_at = 0 "
                   "WHERE job_id = ? AND lease_token = ?",
                   {task.jobId, task.token}) == 1;
    });
}

void MysqlStore::finishIntegrationTask(const IntegrationTask& task, const std::string& error) {
    pool_.run([&](Connection& c) {
        return c.update(
            "UPDATE integration_tasks SET state = 'done', error = ?, lease_owner = NULL "
            "WHERE job_id = ? AND lease_token = ?",
            {error.substr(0, 2000), task.jobId, task.token});
    });
}

std::pair<std::string, std::string> MysqlStore::integrationTaskState(Id jobId) {
    return pool_.run([&](Connection& c) {
        auto rs = c.query("SELECT state, error FROM integration_tasks WHERE job_id = ?", {jobId});
        if (!rs->next())
            return std::pair<std::string, std::string>();
        const ResultRow row(*rs);
        return std::pair<std::string, std::string>(row.text(0), row.text(1));
    });
}

}  // namespace mailsift::store::mysql
