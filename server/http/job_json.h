#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <vector>

#include "store/store.h"

namespace mailsift::http {

/// The job object of API.md: id, label, state, emailCount, source, integration (null or
/// {id, system}), summary {totalEmails, deliverableCount, undeliverableCount, riskyCount},
/// createdAt, finishedAt (null or a timestamp), and `error` only for a failed job. Keys keep
/// that order.
Poco::JSON::Object::Ptr jobToJson(const store::JobRecord& job);

/// A JSON array of job objects, in the given order.
Poco::JSON::Array::Ptr jobsToJson(const std::vector<store::JobRecord>& jobs);

}  // namespace mailsift::http
