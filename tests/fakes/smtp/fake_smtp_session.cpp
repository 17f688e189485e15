#include "smtp/fake_smtp_session.h"

#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "smtp/fake_smtp_server.h"
#include "smtp/fake_tls_context.h"

namespace mailsift::fakes {
namespace {

constexpr std::size_t kMaxLine = 4096;

std::string lower(std::string text) {
    for (char& c : text) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return text;
}

std::string verbOf(const std::string& line) {
    std::string verb = line.substr(0, line.find(' '));
    for (char& c : verb) {
        if (c >= 'a' && c <= 'z')
            c = static_cast<char>(c - 'a' + 'A');
    }
    return verb;
}

/// The address inside <...> after "RCPT TO:" (or the rest of the line without brackets).
std::string rcptAddress(const std::string& line) {
    const std::size_t open = line.find('<');
    const std::size_t close = line.find('>', open == std::string::npos ? 0 : open);
    if (open != std::string::npos && close != std::string::npos)
        return lower(line.substr(open + 1, close - open - 1));
    const std::size_t colon = line.find(':');
    return colon == std::string::npos ? std::string() : lower(line.substr(colon + 1));
}

}  // namespace

FakeSmtpSession::FakeSmtpSession(FakeSmtpServer& server, int fd, std::string clientIp,
                                 std::string serverIp)
    : server_(server), fd_(fd), clientIp_(std::move(clientIp)), serverIp_(std::move(serverIp)) {}

FakeSmtpSession::~FakeSmtpSession() {
    if (ssl_ != nullptr)
        SSL_free(ssl_);
}

void FakeSmtpSession::run() {
    auto [record, overLimit] = server_.opened(fd_, clientIp_, serverIp_, behaviour_);
    record_ = record;
    // An abandoned client must not keep a thread forever.
    timeval idle{30, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
    if (overLimit) {
        reply("421 4.7.0 " + behaviour_.hostname + " Too many connections from your IP");
    } else if (!behaviour_.dropAfterConnect) {
        converse();
    }
    server_.closed(fd_, clientIp_, serverIp_, record_);
    ::close(fd_);
}

void FakeSmtpSession::converse() {
    if (!server_.pause(behaviour_.bannerDelay))
        return;
    const std::string banner = behaviour_.bannerReply.empty()
                                   ? "220 " + behaviour_.hostname + " ESMTP mailsift-fake"
                                   : behaviour_.bannerReply;
    if (!reply(banner) || banner[0] != '2')
        return;
    std::string line;
    TimePoint arrived;
    while (!server_.stopping() && readLine(line, arrived)) {
        FakeSmtpCommand command{line, arrived, arrived < lastReplyAt_, ssl_ != nullptr};
        server_.recordCommand(record_, std::move(command));
        ++commands_;
        if (behaviour_.closeAfterCommands > 0 && commands_ >= behaviour_.closeAfterCommands)
            return;
        if (!handle(line))
            return;
    }
}

bool FakeSmtpSession::handle(const std::string& line) {
    const std::string verb = verbOf(line);
    if (verb == "EHLO") {
        if (!behaviour_.ehloReply.empty())
            return reply(behaviour_.ehloReply);
        return reply(ehloReply());
    }
    if (verb == "HELO")
        return reply(behaviour_.heloReply.empty() ? "250 " + behaviour_.hostname
                                                  : behaviour_.heloReply);
    if (verb == "STARTTLS")
        return handleStartTls();
    if (verb == "MAIL") {
        const std::string answer =
            behaviour_.mailReply.empty() ? "250 2.1.0 Ok" : behaviour_.mailReply;
        inTransaction_ = answer[0] == '2';
        rcptsInTransaction_ = 0;
        return reply(answer);
    }
    if (verb == "RCPT")
        return handleRcpt(line);
    if (verb == "RSET") {
        inTransaction_ = false;
        rcptsInTransaction_ = 0;
        return reply("250 2.0.0 Ok");
    }
    if (verb == "NOOP")
        return reply("250 2.0.0 Ok");
    if (verb == "QUIT") {
        reply("221 2.0.0 Bye");
        return false;
    }
    if (verb == "DATA" || verb == "BDAT") {
        server_.noteData();
        std::fprintf(stderr, "fake-smtp %s: CLIENT %s SENT %s - a prober must never do that\n",
                     serverIp_.c_str(), clientIp_.c_str(), verb.c_str());
        return reply("554 5.5.1 DATA is forbidden here: this fake only answers recipients");
    }
    return reply("502 5.5.2 Error: command not recognized");
}

bool FakeSmtpSession::handleRcpt(const std::string& line) {
    if (!inTransaction_)
        return reply("503 5.5.1 Error: need MAIL command");
    ++rcptsInTransaction_;
    if (behaviour_.maxRcptPerTransaction > 0 &&
        rcptsInTransaction_ > behaviour_.maxRcptPerTransaction)
        return reply("452 4.5.3 Error: too many recipients");
    return reply(rcptReply(rcptAddress(line)));
}

std::string FakeSmtpSession::rcptReply(const std::string& address) {
    const auto scripted = behaviour_.rcptReplies.find(address);
    if (scripted != behaviour_.rcptReplies.end())
        return scripted->second;
    if (behaviour_.greylist.count() > 0) {
        const TimePoint first = server_.firstSeen(clientIp_ + "|" + address);
        if (std::chrono::steady_clock::now() - first < behaviour_.greylist)
            return "451 4.7.1 <" + address + ">: Recipient address rejected: Greylisted, try later";
    }
    const std::size_t at = address.rfind('@');
    const std::string local = at == std::string::npos ? address : address.substr(0, at);
    if (behaviour_.catchAll || behaviour_.known.contains(address) ||
        behaviour_.knownLocal.contains(local))
        return "250 2.1.5 Ok";
    return "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown";
}

std::string FakeSmtpSession::ehloReply() const {
    std::string text = "250-" + behaviour_.hostname;
    if (behaviour_.pipelining)
        text += "\n250-PIPELINING";
    text += "\n250-SIZE 10240000";
    if (behaviour_.starttls && ssl_ == nullptr)
        text += "\n250-STARTTLS";
    if (behaviour_.smtputf8)
        text += "\n250-SMTPUTF8";
    text += "\n250-ENHANCEDSTATUSCODES\n250 8BITMIME";
    return text;
}

bool FakeSmtpSession::handleStartTls() {
    if (!behaviour_.starttls || ssl_ != nullptr)
        return reply("502 5.5.1 STARTTLS not offered");
    if (!reply("220 2.0.0 Ready to start TLS"))
        return false;
    buffer_.clear();  // RFC 3207: nothing sent before the handshake counts
    ssl_ = SSL_new(server_.tls().get());
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1 || SSL_accept(ssl_) != 1)
        return false;
    server_.recordTls(record_);
    inTransaction_ = false;
    return true;
}

bool FakeSmtpSession::reply(const std::string& text) {
    if (!server_.pause(behaviour_.replyDelay))
        return false;
    std::string wire;
    for (char c : text) {
        if (c == '\n')
            wire += "\r\n";
        else
            wire.push_back(c);
    }
    wire += "\r\n";
    server_.recordReply(record_, text.substr(0, text.find('\n')));
    const bool sent = send(wire);
    lastReplyAt_ = std::chrono::steady_clock::now();
    return sent;
}

bool FakeSmtpSession::send(std::string_view data) {
    while (!data.empty()) {
        if (ssl_ != nullptr) {
            const int sent = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
            if (sent <= 0)
                return false;
            data.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
}

bool FakeSmtpSession::readLine(std::string& line, TimePoint& arrived) {
    while (true) {
        const std::size_t newline = buffer_.find('\n');
        if (newline != std::string::npos) {
            line = buffer_.substr(0, newline);
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            buffer_.erase(0, newline + 1);
            arrived = bufferArrived_;
            return true;
        }
        if (buffer_.size() > kMaxLine) {
            reply("500 5.5.0 Line too long");
            return false;
        }
        char chunk[4096];
        ssize_t got = 0;
        if (ssl_ != nullptr) {
            got = SSL_read(ssl_, chunk, sizeof(chunk));
        } else {
            got = ::recv(fd_, chunk, sizeof(chunk), 0);
            if (got < 0 && errno == EINTR)
                continue;
        }
        if (got <= 0)
            return false;
        buffer_.append(chunk, static_cast<std::size_t>(got));
        bufferArrived_ = std::chrono::steady_clock::now();
    }
}

}  // namespace mailsift::fakes
