#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "mailsift/evidence.h"

namespace mailsift::stages::smtp {

/// One address of an MX host, in the order to try them.
struct Candidate {
    std::string host;
    std::string ip;
};

/// One RCPT TO we want an answer to: a batch item, or a domain's catch-all probe.
struct Recipient {
    static constexpr std::size_t kProbe = static_cast<std::size_t>(-1);

    std::size_t item = kProbe;  ///< index into Batch::items, kProbe for the catch-all probe
    std::string address;        ///< what goes into RCPT TO:<...>
    std::string domain;
    bool utf8 = false;           ///< needs SMTPUTF8
    std::string lastReply;       ///< summary of the last reply about it ("" when none)
    std::string lastHost;        ///< MX host that gave lastReply
    bool wasGreylisted = false;  ///< got a 4xx before: a later failure to ask is still "greylisted"

    bool probe() const { return item == kProbe; }
};

/// The verdict reached for one recipient.
struct Settled {
    Recipient recipient;
    Fact fact;
};

/// A session's worth of recipients for one group of MX candidates, plus how far it got.
struct ProbeTask {
    std::size_t group = 0;  ///< index of the candidate list shared by the group
    std::vector<Recipient> recipients;
    std::chrono::steady_clock::time_point notBefore{};
    std::size_t candidate = 0;  ///< next candidate to try
    int greylistRound = 0;
    int busyRounds = 0;   ///< times every candidate said "busy" and we waited
    int dropRetries = 0;  ///< sessions lost mid-way and started again
    bool withoutTls = false;
    bool sawTimeout = false;
    bool sawBusy = false;
    bool sawMalformed = false;
    std::string busyReply;  ///< last 421 / too-many-connections reply, for smtpResponse
};

}  // namespace mailsift::stages::smtp
