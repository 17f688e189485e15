#include "probe/smtp_session.h"

#include <algorithm>

namespace mailsift::stages::smtp {
namespace {

/// How long QUIT may wait for its 221 once the work is done.
constexpr std::chrono::milliseconds kQuitWait{2000};
/// How long to wait for the server to close after its 221.
constexpr std::chrono::milliseconds kCloseWait{500};

std::string upperWord(const std::string& line) {
    std::string word = line.substr(0, line.find(' '));
    for (char& c : word) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return word;
}

Extensions parseExtensions(const SmtpReply& reply) {
    Extensions extensions;
    for (std::size_t i = 1; i < reply.lines.size(); ++i) {
        const std::string word = upperWord(reply.lines[i]);
        if (word == "PIPELINING")
            extensions.pipelining = true;
        else if (word == "STARTTLS")
            extensions.starttls = true;
        else if (word == "SMTPUTF8")
            extensions.smtputf8 = true;
        else if (word == "SIZE")
            extensions.size = true;
    }
    return extensions;
}

OpenResult::Kind kindOf(SessionVerdict verdict) {
    switch (verdict) {
        case SessionVerdict::proceed:
            return OpenResult::Kind::ready;
        case SessionVerdict::busy:
            return OpenResult::Kind::busy;
        case SessionVerdict::transient:
            return OpenResult::Kind::transient;
        case SessionVerdict::blocked:
            break;
    }
    return OpenResult::Kind::blocked;
}

}  // namespace

SmtpSession::SmtpSession(const SmtpConfig& config, ssl_ctx_st* tlsContext)
    : config_(config), tlsContext_(tlsContext) {}

OpenResult SmtpSession::failure(IoStatus io) const {
    switch (io) {
        case IoStatus::timeout:
            return {OpenResult::Kind::timeout, std::nullopt};
        case IoStatus::cancelled:
            return {OpenResult::Kind::cancelled, std::nullopt};
        case IoStatus::malformed:
            return {OpenResult::Kind::malformed, std::nullopt};
        case IoStatus::tlsFailed:
            return {OpenResult::Kind::tlsFailed, std::nullopt};
        case IoStatus::ok:
        case IoStatus::refused:
        case IoStatus::closed:
            break;
    }
    return {OpenResult::Kind::noConnect, std::nullopt};
}

IoStatus SmtpSession::command(const std::string& line, SmtpReply& reply, Deadline deadline) {
    ++roundTrips_;
    const Deadline step = deadline.within(config_.commandTimeout);
    const IoStatus sent = connection_.write(line, step);
    if (sent != IoStatus::ok)
        return sent;
    return connection_.readReply(reply, step);
}

OpenResult SmtpSession::greet(Deadline deadline) {
    SmtpReply banner;
    const IoStatus io = connection_.readReply(banner, deadline.within(config_.bannerTimeout));
    if (io != IoStatus::ok)
        return failure(io);
    ++roundTrips_;
    const SessionVerdict verdict = classifySession(banner);
    if (verdict == SessionVerdict::transient)  // a 4xx greeting means "not now"
        return {OpenResult::Kind::busy, banner};
    if (verdict != SessionVerdict::proceed)
        return {kindOf(verdict), banner};
    return {OpenResult::Kind::ready, std::nullopt};
}

OpenResult SmtpSession::hello(Deadline deadline) {
    SmtpReply reply;
    IoStatus io = command("EHLO " + config_.heloName + "\r\n", reply, deadline);
    if (io != IoStatus::ok)
        return failure(io);
    if (reply.positive()) {
        extensions_ = parseExtensions(reply);
        return {OpenResult::Kind::ready, std::nullopt};
    }
    if (reply.code == 421 || !reply.permanent())
        return {kindOf(classifySession(reply)), reply};
    // RFC 5321 4.1.4: a server that does not know EHLO answers 5xx; HELO is the fallback.
    io = command("HELO " + config_.heloName + "\r\n", reply, deadline);
    if (io != IoStatus::ok)
        return failure(io);
    extensions_ = Extensions{};
    const SessionVerdict verdict = classifySession(reply);
    if (verdict == SessionVerdict::proceed)
        return {OpenResult::Kind::ready, std::nullopt};
    return {kindOf(verdict), reply};
}

OpenResult SmtpSession::open(const std::string& host, const std::string& ip, bool useTls,
                             Deadline deadline) {
    open_ = false;
    transactionDone_ = false;
    extensions_ = Extensions{};
    const IoStatus connected = connection_.connect(ip, config_.port, config_.bindAddress,
                                                   deadline.within(config_.connectTimeout));
    if (connected != IoStatus::ok)
        return failure(connected);
    OpenResult result = greet(deadline);
    if (result.kind == OpenResult::Kind::ready)
        result = hello(deadline);
    if (result.kind == OpenResult::Kind::ready && useTls && tlsContext_ != nullptr &&
        config_.starttls && extensions_.starttls) {
        SmtpReply reply;
        const IoStatus io = command("STARTTLS\r\n", reply, deadline);
        if (io != IoStatus::ok)
            return failure(io);
        if (reply.code == 220) {
            // Bytes that arrived before the handshake cannot be trusted to belong to the session.
            if (connection_.hasBufferedInput())
                return {OpenResult::Kind::malformed, std::nullopt};
            const IoStatus handshake =
                connection_.startTls(tlsContext_, host, deadline.within(config_.commandTimeout));
            if (handshake != IoStatus::ok)
                return failure(handshake == IoStatus::closed ? IoStatus::tlsFailed : handshake);
            ++roundTrips_;
            result = hello(deadline);  // RFC 3207: forget what we knew, ask again
        } else if (reply.code == 421) {
            return {OpenResult::Kind::busy, reply};
        }
        // Any other answer to STARTTLS: carry on in plain text, as an opportunistic client does.
    }
    open_ = result.kind == OpenResult::Kind::ready;
    if (!open_ && result.reply) {
        // The server answered but will not serve us: say goodbye properly (RFC 5321 3.8).
        open_ = true;
        quit(deadline);
    }
    if (!open_)
        connection_.close();
    return result;
}

TransactionResult SmtpSession::transact(const std::vector<std::string>& recipients, bool smtputf8,
                                        Deadline deadline) {
    TransactionResult result;
    if (!open_) {
        result.io = IoStatus::closed;
        return result;
    }
    std::vector<std::string> lines;
    lines.reserve(recipients.size() + 2);
    const bool reset = transactionDone_;
    if (reset)
        lines.emplace_back("RSET\r\n");
    lines.push_back("MAIL FROM:<" + config_.mailFrom + ">" + (smtputf8 ? " SMTPUTF8" : "") +
                    "\r\n");
    for (const std::string& recipient : recipients)
        lines.push_back("RCPT TO:<" + recipient + ">\r\n");
    transactionDone_ = true;

    const bool pipelined = config_.pipelining && extensions_.pipelining;
    if (pipelined) {
        std::string group;
        for (const std::string& line : lines)
            group += line;
        ++roundTrips_;
        result.io = connection_.write(group, deadline.within(config_.commandTimeout));
    }
    for (std::size_t i = 0; i < lines.size() && result.io == IoStatus::ok; ++i) {
        SmtpReply reply;
        if (pipelined) {
            result.io = connection_.readReply(reply, deadline.within(config_.commandTimeout));
        } else {
            result.io = command(lines[i], reply, deadline);
        }
        if (result.io != IoStatus::ok)
            break;
        const bool isReset = reset && i == 0;
        const bool isMail = i == (reset ? 1U : 0U);
        if (isReset) {
            if (reply.code == 421) {
                result.mail = reply;
                result.mailVerdict = SessionVerdict::busy;
            }
            continue;
        }
        if (isMail) {
            result.mailVerdict = classifySession(reply);
            result.mail = reply;
            if (result.mailVerdict != SessionVerdict::proceed && !pipelined)
                break;  // no RCPT without a sender
            continue;
        }
        if (result.mailVerdict != SessionVerdict::proceed)
            continue;  // pipelined RCPTs after a failed MAIL only answer "bad sequence"
        result.rcpts.push_back(std::move(reply));
        if (result.rcpts.back().code == 421) {
            result.io = IoStatus::closed;  // the server is closing the session
            break;
        }
    }
    if (result.io != IoStatus::ok || result.mailVerdict == SessionVerdict::busy) {
        open_ = false;
        connection_.close();
    }
    return result;
}

void SmtpSession::quit(Deadline deadline) {
    if (open_) {
        const Deadline quitBy = deadline.within(std::min(config_.commandTimeout, kQuitWait));
        SmtpReply reply;
        if (command("QUIT\r\n", reply, quitBy) == IoStatus::ok)
            connection_.awaitClose(quitBy.within(kCloseWait));
    }
    open_ = false;
    connection_.close();
}

}  // namespace mailsift::stages::smtp
