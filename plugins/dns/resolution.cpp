#include "dns/resolution.h"

#include <poll.h>

#include <algorithm>
#include <stdexcept>

#include "dns/answer_reader.h"
#include "dns/dns_message.h"

namespace mailsift::stages::dns {
namespace {

constexpr int kClassIn = 1;
/// Upper bound of one poll() wait, so that cancellation is noticed soon.
constexpr std::chrono::milliseconds kPollSlice{20};
/// Kernel memory one small UDP answer takes in a socket's receive queue, roughly.
constexpr std::size_t kReceiveBytesPerQuery = 2048;

std::chrono::seconds lower(const std::optional<std::chrono::seconds>& a, std::chrono::seconds b) {
    return a ? std::min(*a, b) : b;
}

}  // namespace

Resolution::Resolution(const DnsConfig& config, const std::string& serversCsv) : config_(config) {
    ares_options options{};
    options.timeout = static_cast<int>(config.timeout.count());
    options.tries = config.tries;
    char lookups[] = "b";  // DNS only: never /etc/hosts
    options.lookups = lookups;
    options.sock_state_cb = &Resolution::onSocketState;
    options.sock_state_cb_data = this;
    // Answers to many queries in flight arrive in bursts on one UDP socket; the default buffer
    // (about 200 answers) would drop the rest and turn them into timeouts. The kernel caps this
    // at net.core.rmem_max.
    options.socket_receive_buffer_size = static_cast<int>(
        std::clamp<std::size_t>(config.maxInFlight * kReceiveBytesPerQuery, 256 * 1024, 8 << 20));
    const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS |
                     ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF;
    if (const int rc = ares_init_options(&channel_, &options, mask); rc != ARES_SUCCESS)
        throw std::runtime_error(std::string("c-ares: cannot create a channel: ") +
                                 ares_strerror(rc));
    if (!serversCsv.empty()) {
        if (const int rc = ares_set_servers_ports_csv(channel_, serversCsv.c_str());
            rc != ARES_SUCCESS) {
            ares_destroy(channel_);
            throw std::invalid_argument(
                "mailsift.stage.dns: config key servers: " + std::string(ares_strerror(rc)) +
                " in '" + serversCsv + "'");
        }
    }
}

Resolution::~Resolution() {
    stopping_ = true;
    ares_destroy(channel_);  // remaining callbacks see ARES_EDESTRUCTION and only count down
}

void Resolution::onSocketState(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Resolution*>(data);
    const short events = static_cast<short>((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
    if (events == 0)
        self->sockets_.erase(fd);
    else
        self->sockets_[fd] = events;
}

void Resolution::onAnswer(void* arg, int status, int, unsigned char* abuf, int alen) {
    const Query& query = *static_cast<const Query*>(arg);
    Resolution& self = *query.self;
    --self.inFlight_;
    if (status == ARES_ECANCELLED || status == ARES_EDESTRUCTION || self.stopping_)
        return;
    Domain& domain = self.domains_[query.domain];
    if (domain.phase != query.phase)
        return;  // answered after its budget ran out
    if (abuf == nullptr || alen < 0)
        alen = 0;
    if (query.host < 0)
        self.onMx(domain, status, abuf, alen);
    else
        self.onAddress(domain, query.host, query.type, status, abuf, alen);
}

void Resolution::enqueue(std::size_t domain, int host, int type, Phase phase) {
    queries_.push_back(Query{this, domain, host, type, phase});
    (phase == Phase::mx ? mxQueue_ : addressQueue_).push_back(&queries_.back());
}

void Resolution::pump() {
    while (!stopping_ && inFlight_ < config_.maxInFlight) {
        std::deque<Query*>& queue = addressQueue_.empty() ? mxQueue_ : addressQueue_;
        if (queue.empty())
            return;
        Query* query = queue.front();
        queue.pop_front();
        Domain& domain = domains_[query->domain];
        if (domain.phase != query->phase)
            continue;
        if (!domain.phaseStarted) {
            domain.phaseStarted = true;
            budgets_.push(Budget{SteadyClock::now() + config_.timeout * config_.tries,
                                 query->domain, query->phase});
        }
        const std::string name = query->host < 0
                                     ? domain.name
                                     : domain.hosts[static_cast<std::size_t>(query->host)].name;
        ++inFlight_;
        ares_query(channel_, name.c_str(), kClassIn, query->type, &Resolution::onAnswer, query);
    }
}

void Resolution::expireBudgets() {
    const SteadyClock::time_point now = SteadyClock::now();
    while (!budgets_.empty() && budgets_.top().expires <= now) {
        const Budget budget = budgets_.top();
        budgets_.pop();
        Domain& domain = domains_[budget.domain];
        if (domain.phase != budget.phase)
            continue;
        if (domain.phase == Phase::mx) {
            finish(domain, DnsOutcome::unresolved, config_.failureTtl);
        } else {
            domain.transientFailure = true;
            finishAddresses(domain);
        }
    }
}

void Resolution::pollOnce(SteadyClock::time_point deadline) {
    const SteadyClock::time_point now = SteadyClock::now();
    std::chrono::milliseconds wait = kPollSlice;
    timeval maxWait{0, static_cast<suseconds_t>(kPollSlice.count() * 1000)};
    timeval aresWait{};
    if (const timeval* tv = ares_timeout(channel_, &maxWait, &aresWait))
        wait = std::chrono::milliseconds(tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000);
    if (deadline - now < wait)
        wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
    if (!budgets_.empty() && budgets_.top().expires - now < wait)
        wait = std::chrono::ceil<std::chrono::milliseconds>(budgets_.top().expires - now);
    wait = std::max(wait, std::chrono::milliseconds(0));

    std::vector<pollfd> fds;
    fds.reserve(sockets_.size());
    for (const auto& [fd, events] : sockets_)
        fds.push_back(pollfd{fd, events, 0});
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));
    bool processed = false;
    if (ready > 0) {
        for (const pollfd& entry : fds) {
            if (entry.revents == 0)
                continue;
            const bool readable = (entry.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
            const bool writable = (entry.revents & POLLOUT) != 0;
            ares_process_fd(channel_, readable ? entry.fd : ARES_SOCKET_BAD,
                            writable ? entry.fd : ARES_SOCKET_BAD);
            processed = true;
        }
    }
    if (!processed)
        ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts and retries
}

std::chrono::seconds Resolution::clampPositive(std::uint32_t ttl) const {
    return std::clamp(std::chrono::seconds(ttl), config_.minTtl, config_.maxTtl);
}

std::chrono::seconds Resolution::negativeFrom(const unsigned char* abuf, int alen) const {
    const std::optional<std::uint32_t> soa = readNegativeTtl(abuf, alen);
    if (!soa)
        return config_.negativeTtl;
    return std::min(std::max(std::chrono::seconds(*soa), config_.minTtl), config_.negativeTtl);
}

void Resolution::onMx(Domain& domain, int status, const unsigned char* abuf, int alen) {
    const std::size_t index = static_cast<std::size_t>(&domain - domains_.data());
    if (status == ARES_ENOTFOUND) {
        finish(domain, DnsOutcome::domainNotFound, negativeFrom(abuf, alen));
        return;
    }
    if (status == ARES_ENODATA) {
        domain.negativeTtl = negativeFrom(abuf, alen);
        domain.implicitMx = true;
        domain.hosts.push_back(Host{domain.name, 0, {}, {}});
        startAddressPhase(index);
        return;
    }
    if (status != ARES_SUCCESS) {
        finish(domain, DnsOutcome::unresolved, config_.failureTtl);
        return;
    }
    MxAnswer answer = readMxAnswer(abuf, alen);
    if (answer.kind == MxAnswer::Kind::noMxRecords) {
        domain.implicitMx = true;
        domain.hosts.push_back(Host{domain.name, 0, {}, {}});
        startAddressPhase(index);
        return;
    }
    if (answer.kind == MxAnswer::Kind::malformed) {
        finish(domain, DnsOutcome::unresolved, config_.failureTtl);
        return;
    }
    domain.positiveTtl = clampPositive(answer.ttl);
    for (MxAnswer::Host& host : answer.hosts)
        domain.hosts.push_back(Host{std::move(host.name), host.preference, {}, {}});
    if (domain.hosts.empty()) {
        finish(domain, DnsOutcome::noUsableMx, *domain.positiveTtl);
        return;
    }
    startAddressPhase(index);
}

void Resolution::startAddressPhase(std::size_t index) {
    Domain& domain = domains_[index];
    domain.phase = Phase::addresses;
    domain.phaseStarted = false;
    domain.pending = static_cast<int>(domain.hosts.size()) * (config_.ipv6 ? 2 : 1);
    for (std::size_t host = 0; host < domain.hosts.size(); ++host) {
        enqueue(index, static_cast<int>(host), DnsMessage::kTypeA, Phase::addresses);
        if (config_.ipv6)
            enqueue(index, static_cast<int>(host), DnsMessage::kTypeAaaa, Phase::addresses);
    }
}

void Resolution::onAddress(Domain& domain, int hostIndex, int type, int status,
                           const unsigned char* abuf, int alen) {
    Host& host = domain.hosts[static_cast<std::size_t>(hostIndex)];
    if (status == ARES_ENODATA || status == ARES_ENOTFOUND) {
        domain.negativeTtl = lower(domain.negativeTtl, negativeFrom(abuf, alen));
    } else if (status != ARES_SUCCESS) {
        domain.transientFailure = true;
    } else {
        AddressAnswer answer = readAddressAnswer(type, abuf, alen);
        if (!answer.ok)
            domain.transientFailure = true;
        std::vector<std::string>& list = type == DnsMessage::kTypeA ? host.v4 : host.v6;
        for (std::string& address : answer.addresses) {
            if (std::find(list.begin(), list.end(), address) == list.end())
                list.push_back(std::move(address));
        }
        if (answer.ttl)
            domain.positiveTtl = lower(domain.positiveTtl, clampPositive(*answer.ttl));
    }
    if (--domain.pending <= 0)
        finishAddresses(domain);
}

void Resolution::finishAddresses(Domain& domain) {
    std::vector<MailServer> servers;
    for (Host& host : domain.hosts) {
        if (host.v4.empty() && host.v6.empty())
            continue;  // an exchanger without an address cannot take mail
        MailServer server{host.name, host.preference, std::move(host.v4)};
        server.addresses.insert(server.addresses.end(), host.v6.begin(), host.v6.end());
        servers.push_back(std::move(server));
    }
    // Preference first; equal preferences by name, so the order does not follow the wire order
    // (which round-robin servers rotate) and every batch sees the same list.
    std::stable_sort(servers.begin(), servers.end(), [](const MailServer& a, const MailServer& b) {
        return a.preference != b.preference ? a.preference < b.preference : a.host < b.host;
    });
    if (!servers.empty()) {
        std::chrono::seconds ttl = domain.positiveTtl.value_or(config_.minTtl);
        if (domain.transientFailure)
            ttl = std::min(ttl, config_.failureTtl);
        domain.answer.servers = std::move(servers);
        finish(domain, DnsOutcome::mxFound, ttl);
    } else if (domain.transientFailure) {
        finish(domain, DnsOutcome::unresolved, config_.failureTtl);
    } else {
        const std::chrono::seconds negative = domain.negativeTtl.value_or(config_.negativeTtl);
        finish(domain, DnsOutcome::noUsableMx,
               domain.implicitMx ? negative : lower(domain.positiveTtl, negative));
    }
}

void Resolution::finish(Domain& domain, DnsOutcome outcome, std::chrono::seconds ttl) {
    domain.phase = Phase::done;
    domain.answer.outcome = outcome;
    domain.answer.ttl = ttl;
    --unfinished_;
}

std::unordered_map<std::string, DomainAnswer> Resolution::run(
    const std::vector<std::string>& domains, SteadyClock::time_point deadline,
    const std::atomic<bool>* cancel) {
    domains_.reserve(domains.size());
    for (const std::string& name : domains) {
        domains_.push_back(Domain{});
        domains_.back().name = name;
    }
    unfinished_ = domains_.size();
    for (std::size_t i = 0; i < domains_.size(); ++i)
        enqueue(i, -1, DnsMessage::kTypeMx, Phase::mx);

    const auto stopRequested = [&] {
        return (cancel && cancel->load(std::memory_order_relaxed)) ||
               SteadyClock::now() >= deadline;
    };
    while (unfinished_ > 0 && !stopRequested()) {
        pump();
        expireBudgets();
        if (unfinished_ == 0)
            break;
        if (inFlight_ == 0 && addressQueue_.empty() && mxQueue_.empty())
            break;  // nothing can make progress any more; must not happen
        pollOnce(deadline);
        expireBudgets();
    }
    stopping_ = true;
    ares_cancel(channel_);

    std::unordered_map<std::string, DomainAnswer> answers;
    answers.reserve(domains_.size());
    for (Domain& domain : domains_) {
        if (domain.phase != Phase::done)
            domain.answer = DomainAnswer{DnsOutcome::unresolved, {}, std::chrono::seconds(0)};
        answers.emplace(std::move(domain.name), std::move(domain.answer));
    }
    return answers;
}

}  // namespace mailsift::stages::dns
