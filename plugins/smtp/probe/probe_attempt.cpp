#include "probe/probe_attempt.h"

#include <deque>

#include "probe/reply_classifier.h"
#include "probe/smtp_session.h"

namespace mailsift::stages::smtp {
namespace {

constexpr std::chrono::milliseconds kQuitWait{2000};

Fact factOf(RcptVerdict verdict) {
    switch (verdict) {
        case RcptVerdict::accepted:
            return Fact::mailboxAccepted;
        case RcptVerdict::refused:
            return Fact::mailboxRefused;
        case RcptVerdict::disabled:
            return Fact::mailboxDisabled;
        case RcptVerdict::full:
            return Fact::mailboxFull;
        case RcptVerdict::blocked:
            return Fact::smtpBlocked;
        case RcptVerdict::transient:
        case RcptVerdict::tooManyRecipients:
        case RcptVerdict::serviceClosing:
        case RcptVerdict::unverified:
            break;
    }
    return Fact::smtpUnverified;
}

Attempt::Open openKind(OpenResult::Kind kind) {
    switch (kind) {
        case OpenResult::Kind::timeout:
            return Attempt::Open::timeout;
        case OpenResult::Kind::busy:
            return Attempt::Open::busy;
        case OpenResult::Kind::tlsFailed:
            return Attempt::Open::tlsFailed;
        case OpenResult::Kind::malformed:
            return Attempt::Open::malformed;
        case OpenResult::Kind::cancelled:
            return Attempt::Open::cancelled;
        case OpenResult::Kind::ready:
        case OpenResult::Kind::blocked:
        case OpenResult::Kind::transient:
            return Attempt::Open::ready;
        case OpenResult::Kind::noConnect:
            break;
    }
    return Attempt::Open::noConnect;
}

/// Collects the outcome of each recipient while a session runs.
class Collector {
  public:
    Collector(Attempt& attempt, const Candidate& candidate)
        : attempt_(attempt), host_(candidate.host) {}

    void settle(Recipient recipient, Fact fact, const std::string& reply) {
        note(recipient, reply);
        attempt_.settled.push_back(Settled{std::move(recipient), fact});
    }
    void greylist(Recipient recipient, const std::string& reply) {
        note(recipient, reply);
        attempt_.greylisted.push_back(std::move(recipient));
    }
    template <class Range>
    void settleAll(Range& recipients, Fact fact, const std::string& reply) {
        for (Recipient& recipient : recipients)
            settle(std::move(recipient), fact, reply);
        recipients.clear();
    }
    template <class Range>
    void greylistAll(Range& recipients, const std::string& reply) {
        for (Recipient& recipient : recipients)
            greylist(std::move(recipient), reply);
        recipients.clear();
    }
    template <class Range>
    void moveAll(Range& recipients, std::vector<Recipient>& into) {
        for (Recipient& recipient : recipients)
            into.push_back(std::move(recipient));
        recipients.clear();
    }

  private:
    void note(Recipient& recipient, const std::string& reply) {
        if (!reply.empty()) {
            recipient.lastReply = reply;
            recipient.lastHost = host_;
        }
    }

    Attempt& attempt_;
    std::string host_;
};

bool expired(const Deadline& deadline) {
    return deadline.cancelled() || Clock::now() >= deadline.at;
}

}  // namespace

Attempt runAttempt(const SmtpConfig& config, ssl_ctx_st* tlsContext, const ProbeTask& task,
                   const Candidate& candidate, Deadline deadline) {
    Attempt attempt;
    Collector collect(attempt, candidate);
    SmtpSession session(config, tlsContext);
    const OpenResult opened =
        session.open(candidate.host, candidate.ip, !task.withoutTls, deadline);
    attempt.open = openKind(opened.kind);
    const std::string openReply = opened.reply ? opened.reply->summary() : std::string();
    std::deque<Recipient> pending(task.recipients.begin(), task.recipients.end());
    if (opened.kind == OpenResult::Kind::blocked) {
        collect.settleAll(pending, Fact::smtpBlocked, openReply);
        return attempt;
    }
    if (opened.kind == OpenResult::Kind::transient) {
        collect.greylistAll(pending, openReply);
        return attempt;
    }
    if (attempt.open != Attempt::Open::ready) {
        attempt.reply = openReply;
        return attempt;
    }
    attempt.usedTls = session.tls();

    // Without SMTPUTF8 a UTF-8 local part cannot be asked about at all (RFC 6531).
    std::deque<Recipient> sendable;
    for (Recipient& recipient : pending) {
        if (recipient.utf8 && !session.extensions().smtputf8)
            collect.settle(std::move(recipient), Fact::smtpUnverified, "");
        else
            sendable.push_back(std::move(recipient));
    }
    pending.swap(sendable);

    const auto perTransaction = static_cast<std::size_t>(config.maxRcptPerTransaction);
    while (!pending.empty()) {
        if (expired(deadline)) {
            collect.settleAll(pending, Fact::smtpTimeout, "");
            break;
        }
        std::vector<Recipient> chunk;
        std::vector<std::string> addresses;
        bool utf8 = false;
        while (!pending.empty() && chunk.size() < perTransaction) {
            utf8 = utf8 || pending.front().utf8;
            addresses.push_back(pending.front().address);
            chunk.push_back(std::move(pending.front()));
            pending.pop_front();
        }
        TransactionResult result = session.transact(addresses, utf8, deadline);
        if (result.mail && result.mailVerdict != SessionVerdict::proceed) {
            const std::string reply = result.mail->summary();
            if (result.mailVerdict == SessionVerdict::blocked) {
                collect.settleAll(chunk, Fact::smtpBlocked, reply);
                collect.settleAll(pending, Fact::smtpBlocked, reply);
            } else if (result.mailVerdict == SessionVerdict::transient) {
                collect.greylistAll(chunk, reply);
                collect.greylistAll(pending, reply);
            } else {
                attempt.reply = reply;
                collect.moveAll(chunk, attempt.busy);
                collect.moveAll(pending, attempt.busy);
            }
            break;
        }
        std::vector<Recipient> nextTransaction;
        std::size_t answered = 0;
        for (; answered < result.rcpts.size(); ++answered) {
            Recipient& recipient = chunk[answered];
            const SmtpReply& reply = result.rcpts[answered];
            const std::string summary = reply.summary();
            recipient.lastReply = summary;
            recipient.lastHost = candidate.host;
            switch (const RcptVerdict verdict = classifyRcpt(reply)) {
                case RcptVerdict::transient:
                    collect.greylist(std::move(recipient), summary);
                    break;
                case RcptVerdict::tooManyRecipients:
                    if (answered == 0)
                        collect.greylist(std::move(recipient), summary);
                    else
                        nextTransaction.push_back(std::move(recipient));
                    break;
                case RcptVerdict::serviceClosing:
                    attempt.reply = summary;
                    attempt.busy.push_back(std::move(recipient));
                    break;
                default:
                    collect.settle(std::move(recipient), factOf(verdict), summary);
                    break;
            }
        }
        std::vector<Recipient> unanswered;
        for (std::size_t i = answered; i < chunk.size(); ++i)
            unanswered.push_back(std::move(chunk[i]));
        if (result.io != IoStatus::ok) {
            if (result.io == IoStatus::timeout || result.io == IoStatus::cancelled) {
                collect.settleAll(unanswered, Fact::smtpTimeout, "");
                collect.settleAll(nextTransaction, Fact::smtpTimeout, "");
                collect.settleAll(pending, Fact::smtpTimeout, "");
            } else {
                // A 421 mid-way already put its recipient in busy; the rest follow it.
                std::vector<Recipient>& into =
                    attempt.busy.empty() ? attempt.dropped : attempt.busy;
                collect.moveAll(unanswered, into);
                collect.moveAll(nextTransaction, into);
                collect.moveAll(pending, into);
            }
            break;
        }
        for (auto it = nextTransaction.rbegin(); it != nextTransaction.rend(); ++it)
            pending.push_front(std::move(*it));
    }
    const Deadline quitBy =
        expired(deadline) ? Deadline{Clock::now(), nullptr} : deadline.within(kQuitWait);
    session.quit(quitBy);
    return attempt;
}

}  // namespace mailsift::stages::smtp
