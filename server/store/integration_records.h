#pragma once

#include <chrono>
#include <string>

#include "store/job_records.h"

namespace mailsift::store {

/// A stored connection to an outside service (hubspot, mailjet, mailchimp). `sealedCredentials`
/// is the credentials JSON encrypted by the integrations module (base64 of nonce, tag and
/// ciphertext); the store never sees them in clear.
struct IntegrationRecord {
    Id id = 0;
    Id accountId = 0;
    std::string system;
    std::string name;
    std::string sealedCredentials;
    std::string optionsJson = "{}";
    std::chrono::system_clock::time_point createdAt;
    std::chrono::system_clock::time_point updatedAt;
};

/// The background work of one integration job, leased by one worker at a time (see migration 4).
struct IntegrationTask {
    Id jobId = 0;
    Id accountId = 0;
    Id integrationId = 0;
    std::string state;         ///< importing or writing
    std::string cursor;        ///< importing: where the next page starts ("" = the first page)
    std::int64_t nextPos = 0;  ///< importing: the position of the next page's first row
    std::string owner;
    std::int64_t token = 0;
    int attempts = 0;  ///< leases of this task so far, this one included
};

}  // namespace mailsift::store
