#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace mailsift::stages::smtp {

/// The smtp stage's typed config, read once from its JSON block.
struct SmtpConfig {
    std::uint16_t port = 25;
    std::string heloName;  ///< required: a host name the operator owns
    std::string mailFrom;  ///< default "verify@" + heloName
    std::chrono::milliseconds connectTimeout{10000};
    std::chrono::milliseconds commandTimeout{30000};
    std::chrono::milliseconds bannerTimeout{30000};
    int perHostConnections = 2;  ///< sessions open at once to one MX address, across all batches
    int maxConnections = 200;    ///< sessions open at once in total, across all batches
    int maxRcptPerTransaction = 50;
    int maxRcptPerSession = 200;
    std::chrono::milliseconds greylistRetry{60000};
    int greylistMaxRetries = 2;
    bool catchAllProbe = true;
    std::chrono::seconds catchAllTtl{86400};
    bool starttls = true;
    bool pipelining = true;
    std::chrono::milliseconds backoffInitial{1000};
    std::chrono::milliseconds backoffMax{60000};
    std::string bindAddress;  ///< "" = let the kernel choose the source address

    /// Parses the stage's JSON config. Throws std::invalid_argument naming the bad key (unknown
    /// key, wrong type, out of range) or saying to set helo_name.
    static SmtpConfig fromJson(std::string_view json);
};

}  // namespace mailsift::stages::smtp
