#include "fakes/dns/fake_dns_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <optional>
#include <queue>
#include <stdexcept>
#include <vector>

#include "fakes/dns/fake_dns_wire.h"

namespace mailsift::fakes {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxTcpBuffer = 70000;
constexpr int kUdpBufferBytes = 4 << 20;

void setNonBlocking(int fd) {
    const int flags = ::fcntl(fd, F_GETFL, 0);
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

sockaddr_in loopbackAddress(const std::string& host, std::uint16_t port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
        throw std::invalid_argument("fake dns: '" + host + "' is not an IPv4 address");
    if ((ntohl(address.sin_addr.s_addr) >> 24) != 127)
        throw std::invalid_argument("fake dns: refusing to listen on non-loopback " + host);
    return address;
}

int bound(int type, sockaddr_in address) {
    const int fd = ::socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0)
        throw std::runtime_error(std::string("fake dns: socket: ") + std::strerror(errno));
    const int one = 1;
    if (type == SOCK_STREAM)
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    // Benchmarks send thousands of queries in one burst; the default buffer would drop most.
    const int buffer = kUdpBufferBytes;
    if (type == SOCK_DGRAM) {
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
        ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    }
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

}  // namespace

/// The I/O thread: one poll() over the UDP socket, the TCP listener and every TCP connection,
/// plus a queue of answers that wait for their delay.
class FakeDnsServer::Loop {
  public:
    Loop(FakeDnsServer& server, int udp, int listener)
        : server_(server), udp_(udp), tcp_(listener) {
        if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
            throw std::runtime_error("fake dns: pipe failed");
        setNonBlocking(udp_);
        setNonBlocking(tcp_);
    }
    ~Loop() {
        for (auto& [id, connection] : connections_)
            ::close(connection.fd);
        ::close(udp_);
        ::close(tcp_);
        ::close(wake_[0]);
        ::close(wake_[1]);
    }

    void requestStop() {
        stop_.store(true);
        const char byte = 1;
        [[maybe_unused]] const ssize_t n = ::write(wake_[1], &byte, 1);
    }

    void run() {
        while (!stop_.load()) {
            std::vector<pollfd> fds{{wake_[0], POLLIN, 0}, {udp_, POLLIN, 0}, {tcp_, POLLIN, 0}};
            std::vector<std::uint64_t> ids;
            for (const auto& [id, connection] : connections_) {
                const short events =
                    static_cast<short>(POLLIN | (connection.out.empty() ? 0 : POLLOUT));
                fds.push_back({connection.fd, events, 0});
                ids.push_back(id);
            }
            int timeout = 200;
            if (!pending_.empty()) {
                const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
                    pending_.top().due - Clock::now());
                timeout = static_cast<int>(std::clamp<long long>(wait.count() + 1, 0, 200));
            }
            if (::poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR)
                break;
            if (fds[1].revents & POLLIN)
                readUdp();
            if (fds[2].revents & POLLIN)
                accept();
            for (std::size_t i = 0; i < ids.size(); ++i) {
                const short revents = fds[i + 3].revents;
                if (revents & (POLLIN | POLLHUP | POLLERR))
                    readTcp(ids[i]);
                if ((revents & POLLOUT) && connections_.count(ids[i]))
                    flushTcp(ids[i]);
            }
            sendDue();
        }
    }

  private:
    struct Connection {
        int fd = -1;
        std::vector<std::uint8_t> in;
        std::vector<std::uint8_t> out;
    };
    struct Scheduled {
        Clock::time_point due;
        std::uint64_t sequence = 0;
        bool udp = true;
        sockaddr_in peer{};
        std::uint64_t connection = 0;
        std::vector<std::uint8_t> bytes;
        bool operator>(const Scheduled& other) const {
            return due != other.due ? due > other.due : sequence > other.sequence;
        }
    };

    void handle(const std::uint8_t* data, std::size_t size, bool udp, const sockaddr_in& peer,
                std::uint64_t connection) {
        const std::optional<DnsQuestion> question = parseDnsQuery(data, size);
        if (!question)
            return;
        server_.count(question->name, question->type, udp);
        const ZoneAnswer answer =
            server_.zone_.lookup(question->name, static_cast<RecordType>(question->type));
        std::vector<std::uint8_t> reply = buildDnsResponse(*question, answer, udp);
        if (reply.empty())
            return;
        pending_.push(Scheduled{Clock::now() + answer.delay, ++sequence_, udp, peer, connection,
                                std::move(reply)});
    }

    void readUdp() {
        std::uint8_t buffer[4096];
        for (int i = 0; i < 256; ++i) {
            sockaddr_in peer{};
            socklen_t peerLength = sizeof peer;
            const ssize_t n = ::recvfrom(udp_, buffer, sizeof buffer, 0,
                                         reinterpret_cast<sockaddr*>(&peer), &peerLength);
            if (n < 0)
                return;
            handle(buffer, static_cast<std::size_t>(n), true, peer, 0);
        }
    }

    void accept() {
        while (true) {
            const int fd = ::accept4(tcp_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd < 0)
                return;
            connections_[++nextConnection_] = Connection{fd, {}, {}};
        }
    }

    void close(std::uint64_t id) {
        const auto it = connections_.find(id);
        if (it == connections_.end())
            return;
        ::close(it->second.fd);
        connections_.erase(it);
    }

    void readTcp(std::uint64_t id) {
        Connection& connection = connections_.at(id);
        std::uint8_t buffer[4096];
        const ssize_t n = ::recv(connection.fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            if (n == 0 || (errno != EAGAIN && errno != EINTR))
                close(id);
            return;
        }
        connection.in.insert(connection.in.end(), buffer, buffer + n);
        if (connection.in.size() > kMaxTcpBuffer) {
            close(id);
            return;
        }
        while (connection.in.size() >= 2) {
            const std::size_t length =
                static_cast<std::size_t>(connection.in[0] << 8 | connection.in[1]);
            if (connection.in.size() < 2 + length)
                break;
            const std::vector<std::uint8_t> message(
                connection.in.begin() + 2,
                connection.in.begin() + 2 + static_cast<std::ptrdiff_t>(length));
            connection.in.erase(connection.in.begin(),
                                connection.in.begin() + 2 + static_cast<std::ptrdiff_t>(length));
            handle(message.data(), message.size(), false, sockaddr_in{}, id);
        }
    }

    void flushTcp(std::uint64_t id) {
        Connection& connection = connections_.at(id);
        while (!connection.out.empty()) {
            const ssize_t n =
                ::send(connection.fd, connection.out.data(), connection.out.size(), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno != EAGAIN && errno != EINTR)
                    close(id);
                return;
            }
            connection.out.erase(connection.out.begin(), connection.out.begin() + n);
        }
    }

    void sendDue() {
        const Clock::time_point now = Clock::now();
        while (!pending_.empty() && pending_.top().due <= now) {
            const Scheduled& item = pending_.top();
            if (item.udp) {
                ::sendto(udp_, item.bytes.data(), item.bytes.size(), 0,
                         reinterpret_cast<const sockaddr*>(&item.peer), sizeof item.peer);
            } else if (const auto it = connections_.find(item.connection);
                       it != connections_.end()) {
                std::vector<std::uint8_t>& out = it->second.out;
                out.push_back(static_cast<std::uint8_t>(item.bytes.size() >> 8));
                out.push_back(static_cast<std::uint8_t>(item.bytes.size() & 0xff));
                out.insert(out.end(), item.bytes.begin(), item.bytes.end());
                const std::uint64_t id = item.connection;
                pending_.pop();
                flushTcp(id);
                continue;
            }
            pending_.pop();
        }
    }

    FakeDnsServer& server_;
    int udp_;
    int tcp_;
    int wake_[2] = {-1, -1};
    std::atomic<bool> stop_{false};
    std::map<std::uint64_t, Connection> connections_;
    std::uint64_t nextConnection_ = 0;
    std::uint64_t sequence_ = 0;
    std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> pending_;
};

FakeDnsServer::FakeDnsServer(std::string host, std::uint16_t port)
    : host_(std::move(host)), port_(port) {
    loopbackAddress(host_, port_);  // validates early
}

FakeDnsServer::~FakeDnsServer() {
    stop();
}

void FakeDnsServer::start() {
    if (loop_)
        return;
    int udp = -1;
    int tcp = -1;
    for (int attempt = 0; attempt < 50 && tcp < 0; ++attempt) {
        udp = bound(SOCK_DGRAM, loopbackAddress(host_, port_));
        if (udp < 0)
            throw std::runtime_error("fake dns: cannot bind UDP " + address() + ": " +
                                     std::strerror(errno));
        sockaddr_in actual{};
        socklen_t length = sizeof actual;
        ::getsockname(udp, reinterpret_cast<sockaddr*>(&actual), &length);
        const std::uint16_t chosen = ntohs(actual.sin_port);
        tcp = bound(SOCK_STREAM, loopbackAddress(host_, chosen));
        if (tcp >= 0 && ::listen(tcp, 128) == 0) {
            port_ = chosen;
            break;
        }
        if (tcp >= 0)
            ::close(tcp);
        tcp = -1;
        ::close(udp);
        if (port_ != 0)
            throw std::runtime_error("fake dns: cannot bind TCP " + address());
    }
    if (tcp < 0)
        throw std::runtime_error("fake dns: found no port free for both UDP and TCP");
    loop_ = std::make_unique<Loop>(*this, udp, tcp);
    thread_ = std::thread([this] { loop_->run(); });
}

void FakeDnsServer::stop() {
    if (!loop_)
        return;
    loop_->requestStop();
    if (thread_.joinable())
        thread_.join();
    loop_.reset();
}

void FakeDnsServer::count(const std::string& name, std::uint16_t type, bool udp) {
    std::lock_guard lock(countsMutex_);
    ++counts_[{name, type}];
    ++(udp ? udp_ : tcp_);
}

std::uint64_t FakeDnsServer::queries(const std::string& name, RecordType type) const {
    std::string key = name;
    for (char& c : key)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    while (!key.empty() && key.back() == '.')
        key.pop_back();
    std::lock_guard lock(countsMutex_);
    const auto it = counts_.find({key, static_cast<std::uint16_t>(type)});
    return it == counts_.end() ? 0 : it->second;
}

std::uint64_t FakeDnsServer::totalQueries() const {
    std::lock_guard lock(countsMutex_);
    return udp_ + tcp_;
}

std::uint64_t FakeDnsServer::udpQueries() const {
    std::lock_guard lock(countsMutex_);
    return udp_;
}

std::uint64_t FakeDnsServer::tcpQueries() const {
    std::lock_guard lock(countsMutex_);
    return tcp_;
}

void FakeDnsServer::resetCounts() {
    std::lock_guard lock(countsMutex_);
    counts_.clear();
    udp_ = 0;
    tcp_ = 0;
}

}  // namespace mailsift::fakes
