// SqliteStore: integration tasks (background import and write-back of integration jobs). Every
// write is one BEGIN IMMEDIATE transaction, so leases need no row locks (see sqlite_job_store).

#include "store/integration_task_sql.h"
#include "store/lease_token.h"
#include "store/sqlite/sqlite_statement.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace mailsift::store::sqlite {
namespace {

using Poco::Data::Session;

bool taskHeld(sqlite3* db, const IntegrationTask& task) {
    SqliteStatement st(db,
                       "SELECT 1 FROM integration_tasks WHERE job_id = ? AND lease_owner = ? AND "
                       "lease_token = ? AND state <> 'done'");
    st.bind(1, task.jobId).bind(2, task.owner).bind(3, task.token);
    return st.step();
}

}  // namespace

JobRecord SqliteStore::createIntegrationJob(const NewJob& job, bool writeBack, TimePoint at) {
    if (!job.integrationId)
        throw std::invalid_argument("createIntegrationJob: the job needs an integration id");
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            SqliteStatement insert(
                db,
                "INSERT INTO jobs (account_id, label, state, source, integration_id, "
                "integration_system, created_at) VALUES (?, ?, 'pending', ?, ?, ?, ?)");
            insert.bind(1, job.accountId)
                .bind(2, job.label)
                .bind(3, job.source)
                .bind(4, *job.integrationId)
                .bind(5, job.integrationSystem)
                .bind(6, toEpochMillis(at))
                .run();
            const Id jobId = sqlite3_last_insert_rowid(db);
            SqliteStatement task(db,
                                 "INSERT INTO integration_tasks (job_id, integration_id, "
                                 "write_back) VALUES (?, ?, ?)");
            task.bind(1, jobId)
                .bind(2, *job.integrationId)
                .bind(3, std::int64_t{writeBack ? 1 : 0})
                .run();
            return *jobById(db, jobId);
        });
    });
}

std::optional<IntegrationTask> SqliteStore::leaseIntegrationTask(const std::string& owner,
                                                                 TimePoint at,
                                                                 std::chrono::milliseconds ttl) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&]() -> std::optional<IntegrationTask> {
            sqlite3* db = handle(s);
            const std::int64_t nowMs = toEpochMillis(at);
            SqliteStatement due(db, kDueIntegrationTasks);
            due.bind(1, nowMs);
            if (!due.step())
                return std::nullopt;
            IntegrationTask task;
            task.jobId = due.integer(0);
            task.accountId = due.integer(1);
            task.integrationId = due.integer(2);
            task.state = due.text(3) == "importing" ? "importing" : "writing";
            task.cursor = due.text(4);
            task.nextPos = due.integer(5);
            task.attempts = static_cast<int>(due.integer(6)) + 1;
            task.owner = owner;
            task.token = newLeaseToken();
            due.reset();
            SqliteStatement lease(db,
                                  "UPDATE integration_tasks SET state = ?, lease_owner = ?, "
                                  "lease_token = ?, lease_expires_at = ?, attempts = ? "
                                  "WHERE job_id = ?");
            lease.bind(1, task.state)
                .bind(2, owner)
                .bind(3, task.token)
                .bind(4, nowMs + ttl.count())
                .bind(5, std::int64_t{task.attempts})
                .bind(6, task.jobId)
                .run();
            return task;
        });
    });
}

bool SqliteStore::renewIntegrationTask(const IntegrationTask& task, TimePoint at,
                                       std::chrono::milliseconds ttl) {
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        SqliteStatement renew(db,
                              "UPDATE integration_tasks SET lease_expires_at = ? WHERE job_id = ? "
                              "AND lease_owner = ? AND lease_token = ? AND state <> 'done'");
        renew.bind(1, toEpochMillis(at) + ttl.count())
            .bind(2, task.jobId)
            .bind(3, task.owner)
            .bind(4, task.token)
            .run();
        return changes(db) == 1;
    });
}

bool SqliteStore::appendImportPage(IntegrationTask& task, const std::vector<JobRow>& rows,
                                   const std::string& nextCursor) {
    return withSession([&](Session& s) {
        return inTransaction(s, [&] {
            sqlite3* db = handle(s);
            if (!taskHeld(db, task))
                return false;
            SqliteStatement count(db,
                                  "UPDATE jobs SET email_count = email_count + ? WHERE id = ? "
                                  "AND sealed = 0");
            count.bind(1, static_cast<std::int64_t>(rows.size())).bind(2, task.jobId).run();
            if (changes(db) != 1)
                return false;
            SqliteStatement insert(db,
                                   "INSERT INTO job_rows (job_id, pos, email, dup_of) "
                                   "VALUES (?, ?, ?, ?)");
            insert.bind(1, task.jobId);
            std::int64_t pos = task.nextPos;
            for (const JobRow& row : rows) {
                if (row.pos != pos)
                    throw std::invalid_argument("appendImportPage: positions must follow nextPos");
                insert.bind(2, row.pos)
                    .bindStatic(3, row.email)
                    .bind(4, row.dupOf < 0 ? std::int64_t{-1} : row.dupOf)
                    .run();
                ++pos;
            }
            SqliteStatement cursor(db,
                                   "UPDATE integration_tasks SET page_cursor = ?, next_pos = ? "
                                   "WHERE job_id = ?");
            cursor.bind(1, nextCursor).bind(2, pos).bind(3, task.jobId).run();
            task.cursor = nextCursor;
            task.nextPos = pos;
            return true;
        });
    });
}

bool SqliteStore::finishImport(const IntegrationTask& task, std::int64_t chunkSize, TimePoint at) {
    const bool held = withSession([&](Session& s) { return taskHeld(handle(s), task); });
    if (!held)
        return false;
    // Sealing first: if the process dies before the task moves on, the sealed job is no longer
    // an import candidate, and a write-back task is still found once the job is done.
    sealJob(task.jobId, chunkSize, at);
    return withSession([&](Session& s) {
        sqlite3* db = handle(s);
        SqliteStatement next(db,
                             "UPDATE integration_tasks SET state = CASE WHEN write_back = 1 THEN "
                             "'awaiting' ELSE 'done' END, lease_owner = NULL, lease_expires_at = "
                             "0 WHERE job_id = ? AND lease_token = ?");
        next.bind(1, task.jobId).bind(2, task.token).run();
        return changes(db) == 1;
    });
}

void SqliteStore::finishIntegrationTask(const IntegrationTask& task, const std::string& error) {
    withSession([&](Session& s) {
        SqliteStatement done(handle(s),
                             "UPDATE integration_tasks SET state = 'done', error = ?, "
                             "lease_owner = NULL WHERE job_id = ? AND lease_token = ?");
        done.bind(1, error.substr(0, 2000)).bind(2, task.jobId).bind(3, task.token).run();
        return 0;
    });
}

std::pair<std::string, std::string> SqliteStore::integrationTaskState(Id jobId) {
    return withSession([&](Session& s) {
        SqliteStatement st(handle(s),
                           "SELECT state, error FROM integration_tasks WHERE job_id = ?");
        st.bind(1, jobId);
        if (!st.step())
            return std::pair<std::string, std::string>();
        return std::pair<std::string, std::string>(st.text(0), st.text(1));
    });
}

}  // namespace mailsift::store::sqlite
