#pragma once
// Internal to the dns stage: one resolve() run, i.e. a c-ares channel, its poll() loop and the
// state machine of every domain in it. Used by DnsResolver only.

#include <ares.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "dns/dns_config.h"
#include "dns/domain_answer.h"

namespace mailsift::stages::dns {

class Resolution {
  public:
    using SteadyClock = std::chrono::steady_clock;

    /// Creates the channel; throws std::runtime_error when c-ares cannot make one.
    Resolution(const DnsConfig& config, const std::string& serversCsv);
    ~Resolution();
    Resolution(const Resolution&) = delete;
    Resolution& operator=(const Resolution&) = delete;

    /// Runs until every domain has an answer, the deadline passes or *cancel turns true.
    std::unordered_map<std::string, DomainAnswer> run(const std::vector<std::string>& domains,
                                                      SteadyClock::time_point deadline,
                                                      const std::atomic<bool>* cancel);

  private:
    struct Host {
        std::string name;
        std::uint16_t preference = 0;
        std::vector<std::string> v4;
        std::vector<std::string> v6;
    };
    enum class Phase { mx, addresses, done };
    struct Domain {
        std::string name;
        Phase phase = Phase::mx;
        bool phaseStarted = false;  ///< a query of the current phase has been sent
        bool implicitMx = false;
        bool transientFailure = false;
        int pending = 0;  ///< address queries of the current phase not answered yet
        std::optional<std::chrono::seconds> positiveTtl;
        std::optional<std::chrono::seconds> negativeTtl;
        std::vector<Host> hosts;
        DomainAnswer answer;
    };
    /// One query to send; also the c-ares callback argument (kept in a deque, so addresses hold).
    struct Query {
        Resolution* self = nullptr;
        std::size_t domain = 0;
        int host = -1;  ///< -1: the MX query; else index into Domain::hosts
        int type = 0;
        Phase phase = Phase::mx;
    };
    struct Budget {
        SteadyClock::time_point expires;
        std::size_t domain;
        Phase phase;
        bool operator>(const Budget& other) const { return expires > other.expires; }
    };

    static void onSocketState(void* data, ares_socket_t fd, int readable, int writable);
    static void onAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);

    void enqueue(std::size_t domain, int host, int type, Phase phase);
    void pump();
    void pollOnce(SteadyClock::time_point deadline);
    void expireBudgets();
    void onMx(Domain& domain, int status, const unsigned char* abuf, int alen);
    void onAddress(Domain& domain, int host, int type, int status, const unsigned char* abuf,
                   int alen);
    void startAddressPhase(std::size_t index);
    void finishAddresses(Domain& domain);
    void finish(Domain& domain, DnsOutcome outcome, std::chrono::seconds ttl);
    std::chrono::seconds clampPositive(std::uint32_t ttl) const;
    std::chrono::seconds negativeFrom(const unsigned char* abuf, int alen) const;

    const DnsConfig& config_;
    ares_channel channel_ = nullptr;
    std::map<ares_socket_t, short> sockets_;  ///< poll events c-ares wants, from onSocketState
    std::vector<Domain> domains_;
    std::deque<Query> queries_;  ///< every query ever issued in this run (callback arguments)
    std::deque<Query*> mxQueue_;
    std::deque<Query*> addressQueue_;  ///< sent before MX queries, so started domains finish
    std::priority_queue<Budget, std::vector<Budget>, std::greater<>> budgets_;
    std::size_t inFlight_ = 0;
    std::size_t unfinished_ = 0;
    bool stopping_ = false;
};

}  // namespace mailsift::stages::dns
