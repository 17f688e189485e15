#pragma once

#include <string>
#include <vector>

#include "probe/probe_task.h"
#include "probe/smtp_config.h"
#include "probe/smtp_connection.h"

struct ssl_ctx_st;

namespace mailsift::stages::smtp {

/// What one session for a task achieved. The scheduler (ProbeRun) decides what happens next.
struct Attempt {
    enum class Open {
        ready,      ///< the session ran; see the lists
        noConnect,  ///< refused / reset / closed before the greeting: try the next candidate
        timeout,    ///< connect, greeting or EHLO timed out: try the next candidate
        busy,       ///< 421 / too many connections before any transaction: back off, next candidate
        tlsFailed,  ///< STARTTLS handshake failed: again without TLS
        malformed,  ///< not an SMTP server: next candidate
        cancelled,  ///< the batch was cancelled or its deadline passed while opening
    };
    Open open = Open::ready;
    std::string reply;                  ///< summary of the reply behind busy, when there was one
    std::vector<Settled> settled;       ///< final answers
    std::vector<Recipient> greylisted;  ///< 4xx: ask again after the greylist delay
    std::vector<Recipient> dropped;     ///< lost with the session (closed mid-way): new session
    std::vector<Recipient> busy;        ///< 421 mid-session: back off, then a new session
    bool usedTls = false;
};

/// Runs one SMTP session for `task` against `candidate`: opens it, sends the task's recipients in
/// transactions of config.maxRcptPerTransaction (RSET between), QUITs. Never DATA. Any reply,
/// however strange, ends in one of Attempt's lists. `tlsContext` null: never STARTTLS.
Attempt runAttempt(const SmtpConfig& config, ssl_ctx_st* tlsContext, const ProbeTask& task,
                   const Candidate& candidate, Deadline deadline);

}  // namespace mailsift::stages::smtp
