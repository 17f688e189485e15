#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probe/reply_classifier.h"
#include "probe/smtp_config.h"
#include "probe/smtp_connection.h"
#include "probe/smtp_reply.h"

struct ssl_ctx_st;

namespace mailsift::stages::smtp {

/// What the server's EHLO reply offered.
struct Extensions {
    bool pipelining = false;
    bool starttls = false;
    bool smtputf8 = false;
    bool size = false;
};

/// How opening a session ended.
struct OpenResult {
    enum class Kind {
        ready,      ///< greeting, EHLO/HELO (and STARTTLS) done: transactions may start
        noConnect,  ///< refused, reset or closed before we were greeted
        timeout,    ///< connect, greeting or EHLO took too long
        cancelled,  ///< the batch was cancelled
        busy,       ///< 421 / too many connections: back off this host
        blocked,    ///< 5xx greeting or EHLO+HELO refused: a policy block of our client
        transient,  ///< 4xx to EHLO/HELO: try again later
        tlsFailed,  ///< STARTTLS handshake failed: reconnect without TLS
        malformed,  ///< not an SMTP server
    };
    Kind kind = Kind::noConnect;
    std::optional<SmtpReply>
        reply;  ///< the reply that decided a non-ready kind, when there was one
};

/// The replies to one transaction (RSET, MAIL FROM, RCPT TO...).
struct TransactionResult {
    IoStatus io = IoStatus::ok;     ///< ok, or why the replies stopped early
    std::optional<SmtpReply> mail;  ///< the reply to MAIL FROM, when read
    SessionVerdict mailVerdict = SessionVerdict::proceed;
    std::vector<SmtpReply> rcpts;  ///< one per recipient answered, in order (may be short)
};

/// One SMTP client session: greeting, EHLO (HELO fallback), opportunistic STARTTLS, any number of
/// MAIL/RCPT transactions with RSET between them, QUIT. Never sends DATA. Owned by one thread.
class SmtpSession {
  public:
    /// `config` and `tlsContext` (null: never STARTTLS) must outlive the session.
    SmtpSession(const SmtpConfig& config, ssl_ctx_st* tlsContext);

    /// Connects to `ip` (an address of MX `host`) and gets the session ready for transactions.
    /// `useTls` false skips STARTTLS (after a failed handshake with this host).
    OpenResult open(const std::string& host, const std::string& ip, bool useTls, Deadline deadline);

    /// MAIL FROM and one RCPT TO per address (RSET first unless this is the first transaction).
    /// With PIPELINING offered and enabled, the whole group goes out in one write. `smtputf8` adds
    /// the SMTPUTF8 parameter to MAIL FROM. Addresses must be free of control characters.
    TransactionResult transact(const std::vector<std::string>& recipients, bool smtputf8,
                               Deadline deadline);

    /// Sends QUIT, waits briefly for the answer and closes. Safe to call in any state.
    void quit(Deadline deadline);

    const Extensions& extensions() const { return extensions_; }
    bool tls() const { return connection_.tls(); }
    /// Round trips spent so far (a pipelined group counts once).
    int roundTrips() const { return roundTrips_; }

  private:
    OpenResult greet(Deadline deadline);
    /// EHLO, or HELO when EHLO gets a 5xx. Fills extensions_.
    OpenResult hello(Deadline deadline);
    IoStatus command(const std::string& line, SmtpReply& reply, Deadline deadline);
    OpenResult failure(IoStatus io) const;

    const SmtpConfig& config_;
    ssl_ctx_st* tlsContext_;
    SmtpConnection connection_;
    Extensions extensions_;
    bool open_ = false;
    bool transactionDone_ = false;
    int roundTrips_ = 0;
};

}  // namespace mailsift::stages::smtp
