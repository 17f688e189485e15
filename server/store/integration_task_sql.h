#pragma once

// SQL text of integration tasks shared by both back-ends (see migration 4).

namespace mailsift::store {

/// Tasks a worker may lease now (bind `now` once): an import of a pending job that is not sealed
/// yet, or the write-back of a done job; either not leased or with an expired lease.
inline constexpr const char* kDueIntegrationTasks =
    "SELECT t.job_id, j.account_id, t.integration_id, t.state, t.page_cursor, t.next_pos, "
    "t.attempts FROM integration_tasks t JOIN jobs j ON j.id = t.job_id "
    "WHERE t.lease_expires_at < ? AND ((t.state = 'importing' AND j.state = 'pending' AND "
    "j.sealed = 0) OR (t.write_back = 1 AND t.state <> 'done' AND j.state = 'done')) "
    "ORDER BY t.lease_expires_at, t.job_id LIMIT 1";

}  // namespace mailsift::store
