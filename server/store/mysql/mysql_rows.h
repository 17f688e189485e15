#pragma once

// Helpers shared by the .cpp files that implement MysqlStore. Not for other modules.

#include <optional>
#include <string>
#include <vector>

#include "store/mysql/connection.h"
#include "store/row_mapping.h"

namespace mailsift::store::mysql {

/// Maps every row of `rs` with `map`.
template <class Map>
auto readRows(sql::ResultSet& rs, Map map) {
    std::vector<decltype(map(ResultRow(rs)))> out;
    while (rs.next()) {
        out.push_back(map(ResultRow(rs)));
    }
    return out;
}

template <class T>
std::optional<T> first(std::vector<T> rows) {
    if (rows.empty()) {
        return std::nullopt;
    }
    return std::move(rows.front());
}

/// The job with this id, whatever its account; nullopt when there is none.
inline std::optional<JobRecord> jobById(Connection& c, Id jobId) {
    auto rs = c.query(std::string(kJobSelect) + " WHERE id = ?", {jobId});
    return first(readRows(*rs, [](const ResultRow& r) { return jobFromRow(r); }));
}

/// The outbox: writes one pending delivery of `event` about the job for every active subscription
/// of its account that asks for it. Call inside the transaction that changes the job's state.
void writeJobEvent(Connection& c, Id jobId, const std::string& event, std::int64_t nowMs);

}  // namespace mailsift::store::mysql
