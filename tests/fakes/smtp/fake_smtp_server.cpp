#include "smtp/fake_smtp_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "smtp/fake_smtp_session.h"
#include "smtp/fake_tls_context.h"

namespace mailsift::fakes {
namespace {

/// Binds a listening socket on ip:port; returns the fd, or -1 with errno set.
int listenOn(const std::string& ip, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (inet_pton(AF_INET, ip.c_str(), &address.sin_addr) != 1)
        throw std::runtime_error("fake smtp: not an IPv4 address: " + ip);
    if ((ntohl(address.sin_addr.s_addr) >> 24) != 127)
        throw std::runtime_error("fake smtp: only loopback addresses (127.0.0.0/8): " + ip);
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
        ::listen(fd, 512) != 0) {
        const int saved = errno;
        ::close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

std::uint16_t localPort(int fd) {
    sockaddr_in address{};
    socklen_t length = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    return ntohs(address.sin_port);
}

std::string peerIp(const sockaddr_in& address) {
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address.sin_addr, text, sizeof(text));
    return text;
}

}  // namespace

int FakeSmtpConnection::count(const std::string& verb) const {
    int n = 0;
    for (const std::string& seen : verbs())
        n += seen == verb ? 1 : 0;
    return n;
}

std::vector<std::string> FakeSmtpConnection::verbs() const {
    std::vector<std::string> out;
    for (const FakeSmtpCommand& command : commands) {
        std::string verb = command.line.substr(0, command.line.find(' '));
        for (char& c : verb) {
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 'a' + 'A');
        }
        out.push_back(std::move(verb));
    }
    return out;
}

FakeSmtpServer::FakeSmtpServer(std::uint16_t port) : port_(port) {}

FakeSmtpServer::~FakeSmtpServer() {
    stop();
}

void FakeSmtpServer::addAddress(const std::string& ip, FakeSmtpBehaviour behaviour) {
    std::lock_guard lock(mutex_);
    if (started_)
        throw std::logic_error("fake smtp: addAddress after start");
    addresses_[ip].behaviour = std::move(behaviour);
}

void FakeSmtpServer::start() {
    std::vector<std::string> ips;
    {
        std::lock_guard lock(mutex_);
        if (started_)
            return;
        for (const auto& [ip, address] : addresses_)
            ips.push_back(ip);
    }
    if (ips.empty())
        throw std::runtime_error("fake smtp: no address to listen on");
    // With port 0 the first address picks a free port; the others must get the same one, so on a
    // clash start over with a new port.
    const bool anyPort = port_ == 0;
    for (int round = 0; round < 20 && listeners_.empty(); ++round) {
        std::uint16_t port = anyPort ? 0 : port_;
        for (const std::string& ip : ips) {
            const int fd = listenOn(ip, port);
            if (fd < 0) {
                const int saved = errno;
                for (const auto& [boundIp, boundFd] : listeners_)
                    ::close(boundFd);
                listeners_.clear();
                if (!anyPort || saved != EADDRINUSE)
                    throw std::runtime_error("fake smtp: cannot listen on " + ip + ":" +
                                             std::to_string(port) + ": " + std::strerror(saved));
                break;
            }
            if (port == 0)
                port = localPort(fd);
            listeners_.emplace_back(ip, fd);
        }
        port_ = port;
    }
    if (listeners_.empty())
        throw std::runtime_error("fake smtp: found no port free on every address");
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0)
        throw std::runtime_error("fake smtp: pipe failed");
    wakeRead_ = pipeFds[0];
    wakeWrite_ = pipeFds[1];
    {
        std::lock_guard lock(mutex_);
        started_ = true;
    }
    acceptor_ = std::thread([this] { acceptLoop(); });
}

void FakeSmtpServer::stop() {
    if (stopping_.exchange(true))
        return;
    if (wakeWrite_ >= 0) {
        const char byte = 'x';
        [[maybe_unused]] const ssize_t n = ::write(wakeWrite_, &byte, 1);
    }
    if (acceptor_.joinable())
        acceptor_.join();
    {
        std::lock_guard lock(pauseMutex_);
        pauseWake_.notify_all();
    }
    {
        // Session threads are detached; wait until the last one has left this object.
        std::unique_lock lock(mutex_);
        for (int fd : openFds_)
            ::shutdown(fd, SHUT_RDWR);
        changed_.wait(lock, [this] { return sessionThreads_ == 0; });
    }
    for (const auto& [ip, fd] : listeners_)
        ::close(fd);
    listeners_.clear();
    for (int* fd : {&wakeRead_, &wakeWrite_}) {
        if (*fd >= 0)
            ::close(*fd);
        *fd = -1;
    }
}

void FakeSmtpServer::acceptLoop() {
    std::vector<pollfd> fds;
    for (const auto& [ip, fd] : listeners_)
        fds.push_back(pollfd{fd, POLLIN, 0});
    fds.push_back(pollfd{wakeRead_, POLLIN, 0});
    while (!stopping_.load()) {
        for (pollfd& entry : fds)
            entry.revents = 0;
        if (::poll(fds.data(), fds.size(), -1) < 0 && errno != EINTR)
            return;
        for (std::size_t i = 0; i + 1 < fds.size(); ++i) {
            if ((fds[i].revents & POLLIN) == 0)
                continue;
            sockaddr_in peer{};
            socklen_t length = sizeof(peer);
            const int fd =
                ::accept4(fds[i].fd, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
            if (fd < 0)
                continue;
            // Each reply is written on its own; Nagle would hold it for the client's delayed ACK.
            const int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            std::lock_guard lock(mutex_);
            if (stopping_.load()) {
                ::close(fd);
                return;
            }
            openFds_.insert(fd);
            ++sessionThreads_;
            std::thread(&FakeSmtpServer::serve, this, fd, peerIp(peer), listeners_[i].first)
                .detach();
        }
    }
}

void FakeSmtpServer::serve(int fd, std::string clientIp, std::string serverIp) {
    {
        FakeSmtpSession session(*this, fd, std::move(clientIp), std::move(serverIp));
        session.run();
    }
    std::lock_guard lock(mutex_);
    --sessionThreads_;
    changed_.notify_all();
}

std::pair<std::shared_ptr<FakeSmtpConnection>, bool> FakeSmtpServer::opened(
    int /*fd*/, const std::string& clientIp, const std::string& serverIp,
    FakeSmtpBehaviour& behaviour) {
    auto record = std::make_shared<FakeSmtpConnection>();
    record->clientIp = clientIp;
    record->serverIp = serverIp;
    record->start = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    Address& address = addresses_[serverIp];
    behaviour = address.behaviour;
    ++address.open;
    ++openTotal_;
    address.maxOpen = std::max(address.maxOpen, address.open);
    const int byClient = ++address.openByClient[clientIp];
    records_.push_back(record);
    const bool overLimit =
        behaviour.maxConnectionsPerClient > 0 && byClient > behaviour.maxConnectionsPerClient;
    return {record, overLimit};
}

void FakeSmtpServer::closed(int fd, const std::string& clientIp, const std::string& serverIp,
                            const std::shared_ptr<FakeSmtpConnection>& record) {
    std::lock_guard lock(mutex_);
    Address& address = addresses_[serverIp];
    --address.open;
    --openTotal_;
    if (--address.openByClient[clientIp] == 0)
        address.openByClient.erase(clientIp);
    openFds_.erase(fd);
    record->end = std::chrono::steady_clock::now();
    record->ended = true;
    changed_.notify_all();
}

void FakeSmtpServer::recordCommand(const std::shared_ptr<FakeSmtpConnection>& record,
                                   FakeSmtpCommand command) {
    std::lock_guard lock(mutex_);
    record->commands.push_back(std::move(command));
}

void FakeSmtpServer::recordReply(const std::shared_ptr<FakeSmtpConnection>& record,
                                 std::string reply) {
    std::lock_guard lock(mutex_);
    record->replies.push_back(std::move(reply));
}

void FakeSmtpServer::recordTls(const std::shared_ptr<FakeSmtpConnection>& record) {
    std::lock_guard lock(mutex_);
    record->tls = true;
}

std::chrono::steady_clock::time_point FakeSmtpServer::firstSeen(const std::string& key) {
    std::lock_guard lock(mutex_);
    return greylist_.emplace(key, std::chrono::steady_clock::now()).first->second;
}

bool FakeSmtpServer::pause(std::chrono::milliseconds delay) {
    if (delay.count() <= 0)
        return !stopping_.load();
    std::unique_lock lock(pauseMutex_);
    return !pauseWake_.wait_for(lock, delay, [this] { return stopping_.load(); });
}

FakeTlsContext& FakeSmtpServer::tls() {
    std::call_once(tlsOnce_, [this] { tls_ = std::make_unique<FakeTlsContext>(); });
    return *tls_;
}

void FakeSmtpServer::setBehaviour(const std::string& ip, FakeSmtpBehaviour behaviour) {
    std::lock_guard lock(mutex_);
    addresses_[ip].behaviour = std::move(behaviour);
}

void FakeSmtpServer::editBehaviour(const std::string& ip,
                                   const std::function<void(FakeSmtpBehaviour&)>& edit) {
    std::lock_guard lock(mutex_);
    edit(addresses_[ip].behaviour);
}

FakeSmtpBehaviour FakeSmtpServer::behaviour(const std::string& ip) const {
    std::lock_guard lock(mutex_);
    const auto it = addresses_.find(ip);
    return it == addresses_.end() ? FakeSmtpBehaviour{} : it->second.behaviour;
}

std::vector<FakeSmtpConnection> FakeSmtpServer::connections(const std::string& ip) const {
    std::lock_guard lock(mutex_);
    std::vector<FakeSmtpConnection> out;
    for (const auto& record : records_) {
        if (ip.empty() || record->serverIp == ip)
            out.push_back(*record);
    }
    return out;
}

int FakeSmtpServer::maxConcurrent(const std::string& ip) const {
    std::lock_guard lock(mutex_);
    const auto it = addresses_.find(ip);
    return it == addresses_.end() ? 0 : it->second.maxOpen;
}

int FakeSmtpServer::commandCount(const std::string& verb, const std::string& ip) const {
    int n = 0;
    for (const FakeSmtpConnection& connection : connections(ip))
        n += connection.count(verb);
    return n;
}

bool FakeSmtpServer::waitIdle(std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return openTotal_ == 0; });
}

void FakeSmtpServer::clearRecords() {
    std::lock_guard lock(mutex_);
    records_.clear();
    greylist_.clear();
    dataCommands_.store(0);
    for (auto& [ip, address] : addresses_)
        address.maxOpen = address.open;
}

}  // namespace mailsift::fakes
