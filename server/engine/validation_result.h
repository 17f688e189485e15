#pragma once

#include <string>
#include <vector>

namespace mailsift::engine {

/// The verdict on one address, shaped like the API's result object (API.md).
struct ValidationResult {
    std::string syntax = "fail";           ///< pass, fail
    std::string mx = "n/a";                ///< pass, fail, n/a
    std::string mailbox = "n/a";           ///< pass, fail, n/a
    int score = 0;                         ///< 0..10
    std::string classifier = "invalid";    ///< valid, risky, invalid
    std::vector<std::string> description;  ///< codes, in the order of the scoring table
    std::string smtpResponse;

    // Extension fields (API.md: may be added, the seven above never change shape).
    std::string normalized;  ///< "" when syntax failed
    std::string suggestion;  ///< likely intended address, "" when none
    bool free = false;       ///< a free webmail provider
    std::string mxHost;      ///< "" when no mail server was found
};

}  // namespace mailsift::engine
