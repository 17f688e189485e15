#include "probe/smtp_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace mailsift::stages::smtp {
namespace {

/// Poll in short slices so that a raised cancel flag is seen soon.
constexpr std::chrono::milliseconds kPollSlice{50};

/// Fills `storage` from an IPv4 or IPv6 literal; returns its length, 0 when not a literal.
socklen_t toSockaddr(const std::string& ip, std::uint16_t port, sockaddr_storage& storage) {
    std::memset(&storage, 0, sizeof(storage));
    auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
    if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        return sizeof(sockaddr_in);
    }
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
    if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        return sizeof(sockaddr_in6);
    }
    return 0;
}

bool isIpLiteral(const std::string& name) {
    sockaddr_storage storage;
    return toSockaddr(name, 0, storage) != 0;
}

}  // namespace

Deadline Deadline::within(std::chrono::milliseconds timeout) const {
    const Clock::time_point now = Clock::now();
    Clock::time_point limit = at;
    if (at - now > timeout)
        limit = now + timeout;
    return Deadline{limit, cancel};
}

SmtpConnection::~SmtpConnection() {
    close();
}

void SmtpConnection::close() {
    if (ssl_ != nullptr) {
        // No close_notify round trip: the server will see QUIT or EOF, which is what matters.
        SSL_free(ssl_);
        ssl_ = nullptr;
    }
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
    buffer_.clear();
}

IoStatus SmtpConnection::waitFor(Want want, Deadline deadline) {
    while (true) {
        if (deadline.cancelled())
            return IoStatus::cancelled;
        const Clock::time_point now = Clock::now();
        if (now >= deadline.at)
            return IoStatus::timeout;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline.at - now);
        const auto slice = std::clamp(left, std::chrono::milliseconds(1), kPollSlice);
        pollfd entry{fd_, static_cast<short>(want == Want::read ? POLLIN : POLLOUT), 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(slice.count()));
        if (ready > 0)
            return IoStatus::ok;  // readable, writable, or an error the next call will report
        if (ready < 0 && errno != EINTR)
            return IoStatus::closed;
    }
}

IoStatus SmtpConnection::connect(const std::string& ip, std::uint16_t port,
                                 const std::string& bindAddress, Deadline deadline) {
    close();
    sockaddr_storage target;
    const socklen_t targetLength = toSockaddr(ip, port, target);
    if (targetLength == 0)
        return IoStatus::refused;
    fd_ = ::socket(target.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
        return IoStatus::refused;
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (!bindAddress.empty()) {
        sockaddr_storage source;
        const socklen_t sourceLength = toSockaddr(bindAddress, 0, source);
        if (sourceLength == 0 || source.ss_family != target.ss_family ||
            ::bind(fd_, reinterpret_cast<sockaddr*>(&source), sourceLength) != 0) {
            close();
            return IoStatus::refused;
        }
    }
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&target), targetLength) != 0) {
        if (errno != EINPROGRESS) {
            close();
            return IoStatus::refused;
        }
        const IoStatus waited = waitFor(Want::write, deadline);
        if (waited != IoStatus::ok) {
            close();
            return waited;
        }
        int error = 0;
        socklen_t length = sizeof(error);
        if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
            close();
            return IoStatus::refused;
        }
    }
    return IoStatus::ok;
}

IoStatus SmtpConnection::write(std::string_view data, Deadline deadline) {
    if (fd_ < 0)
        return IoStatus::closed;
    while (!data.empty()) {
        if (ssl_ != nullptr) {
            ERR_clear_error();
            const int sent = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
            if (sent > 0) {
                data.remove_prefix(static_cast<std::size_t>(sent));
                continue;
            }
            const int error = SSL_get_error(ssl_, sent);
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
                return IoStatus::closed;
            const IoStatus waited =
                waitFor(error == SSL_ERROR_WANT_READ ? Want::read : Want::write, deadline);
            if (waited != IoStatus::ok)
                return waited;
            continue;
        }
        const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent > 0) {
            data.remove_prefix(static_cast<std::size_t>(sent));
            continue;
        }
        if (sent < 0 && errno == EINTR)
            continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            const IoStatus waited = waitFor(Want::write, deadline);
            if (waited != IoStatus::ok)
                return waited;
            continue;
        }
        return IoStatus::closed;
    }
    return IoStatus::ok;
}

IoStatus SmtpConnection::fill(Deadline deadline) {
    char chunk[4096];
    while (true) {
        if (deadline.cancelled())
            return IoStatus::cancelled;
        if (ssl_ != nullptr) {
            ERR_clear_error();
            const int got = SSL_read(ssl_, chunk, sizeof(chunk));
            if (got > 0) {
                buffer_.append(chunk, static_cast<std::size_t>(got));
                return IoStatus::ok;
            }
            const int error = SSL_get_error(ssl_, got);
            if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
                return IoStatus::closed;
            const IoStatus waited =
                waitFor(error == SSL_ERROR_WANT_READ ? Want::read : Want::write, deadline);
            if (waited != IoStatus::ok)
                return waited;
            continue;
        }
        const ssize_t got = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (got > 0) {
            buffer_.append(chunk, static_cast<std::size_t>(got));
            return IoStatus::ok;
        }
        if (got == 0)
            return IoStatus::closed;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return IoStatus::closed;
        const IoStatus waited = waitFor(Want::read, deadline);
        if (waited != IoStatus::ok)
            return waited;
    }
}

IoStatus SmtpConnection::readReply(SmtpReply& reply, Deadline deadline) {
    if (fd_ < 0)
        return IoStatus::closed;
    while (true) {
        ReplyParse parsed = parseReply(buffer_);
        if (parsed.status == ReplyParse::Status::complete) {
            reply = std::move(parsed.reply);
            buffer_.erase(0, parsed.consumed);
            return IoStatus::ok;
        }
        if (parsed.status == ReplyParse::Status::malformed)
            return IoStatus::malformed;
        const IoStatus filled = fill(deadline);
        if (filled != IoStatus::ok)
            return filled;
    }
}

void SmtpConnection::awaitClose(Deadline deadline) {
    while (fd_ >= 0 && fill(deadline) == IoStatus::ok) {
        if (buffer_.size() > kMaxReplyLineBytes)
            buffer_.clear();
    }
    close();
}

IoStatus SmtpConnection::startTls(ssl_ctx_st* context, const std::string& serverName,
                                  Deadline deadline) {
    if (fd_ < 0 || context == nullptr)
        return IoStatus::closed;
    ssl_ = SSL_new(context);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1)
        return IoStatus::tlsFailed;
    if (!serverName.empty() && !isIpLiteral(serverName))
        // SSL_set_tlsext_host_name() is a macro with a C cast; this is the same call.
        SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(serverName.c_str()));
    SSL_set_connect_state(ssl_);
    while (true) {
        ERR_clear_error();
        const int done = SSL_connect(ssl_);
        if (done == 1)
            return IoStatus::ok;
        const int error = SSL_get_error(ssl_, done);
        if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE)
            return IoStatus::tlsFailed;
        const IoStatus waited =
            waitFor(error == SSL_ERROR_WANT_READ ? Want::read : Want::write, deadline);
        if (waited != IoStatus::ok)
            return waited;
    }
}

}  // namespace mailsift::stages::smtp
