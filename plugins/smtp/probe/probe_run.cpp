#include "probe/probe_run.h"

#include <algorithm>
#include <random>
#include <set>
#include <thread>

namespace mailsift::stages::smtp {
namespace {

/// A group gets a second (third...) parallel session once it has this many recipients per session.
constexpr std::size_t kMinRecipientsPerExtraSession = 4;
/// MX addresses tried per item at most (a long MX list is not worth more).
constexpr std::size_t kMaxCandidates = 10;
/// Times a task may wait out a host's back-off, and start again after a dropped session.
constexpr int kMaxBusyRounds = 3;
constexpr int kMaxDropRetries = 1;
/// How often idle workers look again when they wait for a slot another batch holds.
constexpr std::chrono::milliseconds kIdlePoll{20};
constexpr std::size_t kMaxWorkersPerRun = 256;

/// Bytes an RCPT TO argument must never carry: they would end or split our command line.
bool safeAddress(const std::string& address) {
    if (address.empty() || address.size() > 320)
        return false;
    for (char c : address) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f || c == '<' || c == '>')
            return false;
    }
    return true;
}

std::vector<Candidate> candidatesOf(const std::vector<MailServer>& servers) {
    std::vector<const MailServer*> ordered;
    for (const MailServer& server : servers)
        ordered.push_back(&server);
    std::stable_sort(ordered.begin(), ordered.end(), [](const MailServer* a, const MailServer* b) {
        return a->preference < b->preference;
    });
    std::vector<Candidate> candidates;
    std::set<std::string> seen;
    for (const MailServer* server : ordered) {
        for (const std::string& ip : server->addresses) {
            if (candidates.size() < kMaxCandidates && !ip.empty() && seen.insert(ip).second)
                candidates.push_back(Candidate{server->host, ip});
        }
    }
    return candidates;
}

std::string groupKey(const std::vector<Candidate>& candidates) {
    std::string key;
    for (const Candidate& candidate : candidates)
        key += candidate.host + "/" + candidate.ip + ";";
    return key;
}

/// A local part nobody has: 20 random lower-case letters and digits, starting with a letter.
std::string randomLocalPart() {
    static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    thread_local std::mt19937_64 generator{std::random_device{}()};
    std::uniform_int_distribution<std::size_t> letter(0, 25);
    std::uniform_int_distribution<std::size_t> any(0, kAlphabet.size() - 1);
    std::string local(1, kAlphabet[letter(generator)]);
    while (local.size() < 20)
        local.push_back(kAlphabet[any(generator)]);
    return local;
}

}  // namespace

ProbeRun::ProbeRun(const ProbeShared& shared, Batch& batch)
    : shared_(shared), batch_(batch), outcomes_(batch.items.size()) {}

void ProbeRun::run() {
    plan();
    std::size_t workers =
        std::min({tasks_.size(), static_cast<std::size_t>(shared_.config.maxConnections),
                  kMaxWorkersPerRun});
    std::vector<std::thread> threads;
    threads.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i)
        threads.emplace_back([this] { worker(); });
    for (std::thread& thread : threads)
        thread.join();
    finish();
}

void ProbeRun::plan() {
    std::map<std::string, std::size_t> groupIndex;
    std::vector<std::vector<Recipient>> members;
    const auto now = shared_.host.now();
    for (std::size_t i = 0; i < batch_.items.size(); ++i) {
        const Item& item = batch_.items[i];
        if (item.settled || item.evidence.mailServers.empty())
            continue;
        std::vector<Candidate> candidates = candidatesOf(item.evidence.mailServers);
        if (candidates.empty())
            continue;
        const auto [it, added] = groupIndex.emplace(groupKey(candidates), groups_.size());
        if (added) {
            groups_.push_back(std::move(candidates));
            members.emplace_back();
        }
        planned_.push_back(i);
        plannedGroup_.push_back(it->second);
        Recipient recipient;
        recipient.item = i;
        recipient.address = item.address.normalized;
        recipient.domain = item.address.domain;
        recipient.utf8 = item.address.utf8Local;
        if (!safeAddress(recipient.address)) {
            settle(std::move(recipient), Fact::smtpUnverified);
            continue;
        }
        if (!catchAll_.contains(recipient.domain)) {
            if (const std::optional<bool> cached = shared_.catchAll.lookup(recipient.domain, now))
                catchAll_[recipient.domain] = *cached;
        }
        members[it->second].push_back(std::move(recipient));
    }
    for (std::size_t group = 0; group < groups_.size(); ++group)
        planGroup(group, std::move(members[group]));
}

void ProbeRun::planGroup(std::size_t group, std::vector<Recipient> recipients) {
    if (recipients.empty())
        return;
    std::stable_sort(recipients.begin(), recipients.end(),
                     [](const Recipient& a, const Recipient& b) { return a.domain < b.domain; });
    // One list with each domain's catch-all probe just before its first recipient.
    std::vector<Recipient> ordered;
    for (Recipient& recipient : recipients) {
        const bool firstOfDomain = ordered.empty() || ordered.back().domain != recipient.domain;
        if (firstOfDomain && shared_.config.catchAllProbe && !recipient.domain.empty() &&
            !catchAll_.contains(recipient.domain)) {
            Recipient probe;
            probe.address = randomLocalPart() + "@" + recipient.domain;
            probe.domain = recipient.domain;
            ordered.push_back(std::move(probe));
        }
        ordered.push_back(std::move(recipient));
    }
    const std::size_t total = ordered.size();
    const auto perSession = static_cast<std::size_t>(shared_.config.maxRcptPerSession);
    const auto perHost = static_cast<std::size_t>(shared_.config.perHostConnections);
    std::size_t sessions =
        std::max<std::size_t>({1, (total + perSession - 1) / perSession,
                               std::min(perHost, total / kMinRecipientsPerExtraSession)});
    sessions = std::min(sessions, total);
    std::size_t next = 0;
    for (std::size_t s = 0; s < sessions; ++s) {
        const std::size_t size = total / sessions + (s < total % sessions ? 1 : 0);
        ProbeTask task;
        task.group = group;
        for (std::size_t k = 0; k < size; ++k)
            task.recipients.push_back(std::move(ordered[next++]));
        tasks_.push_back(std::move(task));
    }
}

void ProbeRun::worker() {
    std::unique_lock lock(mutex_);
    while (true) {
        if (tasks_.empty() && active_ == 0)
            break;
        if (batch_.shouldStop())
            break;
        ProbeTask task;
        Candidate candidate;
        Clock::time_point wakeAt = Clock::now() + kIdlePoll;
        if (pick(task, candidate, wakeAt)) {
            ++active_;
            lock.unlock();
            Attempt attempt = runAttempt(shared_.config, shared_.tlsContext, task, candidate,
                                         Deadline{batch_.deadline, batch_.cancelFlag});
            shared_.limiter.release(candidate.ip);
            lock.lock();
            --active_;
            merge(std::move(task), candidate, std::move(attempt));
            wake_.notify_all();
            continue;
        }
        wake_.wait_until(lock, std::min(wakeAt, batch_.deadline));
    }
    wake_.notify_all();
}

bool ProbeRun::pick(ProbeTask& task, Candidate& candidate, Clock::time_point& wakeAt) {
    const Clock::time_point now = Clock::now();
    for (auto it = tasks_.begin(); it != tasks_.end();) {
        ProbeTask& waiting = *it;
        if (waiting.notBefore > now) {
            wakeAt = std::min(wakeAt, waiting.notBefore);
            ++it;
            continue;
        }
        const std::vector<Candidate>& candidates = groups_[waiting.group];
        Clock::time_point backoffEnd = Clock::time_point::max();
        bool onlyBackoff = true;
        for (std::size_t k = waiting.candidate; k < candidates.size(); ++k) {
            const HostLimiter::Acquire result = shared_.limiter.tryAcquire(candidates[k].ip, now);
            if (result == HostLimiter::Acquire::acquired) {
                waiting.candidate = k;
                candidate = candidates[k];
                task = std::move(waiting);
                tasks_.erase(it);
                return true;
            }
            if (result != HostLimiter::Acquire::backingOff) {
                onlyBackoff = false;  // a full cap is no reason to fall back: wait for a slot
                break;
            }
            backoffEnd = std::min(backoffEnd, shared_.limiter.backoffUntil(candidates[k].ip));
        }
        if (onlyBackoff) {
            // Every remaining MX told us to go away for now: wait, or give up at the deadline.
            waiting.sawBusy = true;
            if (backoffEnd >= batch_.deadline || waiting.busyRounds >= kMaxBusyRounds) {
                settleTask(waiting, Fact::noConnect);
                it = tasks_.erase(it);
                continue;
            }
            ++waiting.busyRounds;
            waiting.notBefore = backoffEnd;
            wakeAt = std::min(wakeAt, backoffEnd);
        }
        ++it;
    }
    return false;
}

void ProbeRun::merge(ProbeTask task, const Candidate& candidate, Attempt attempt) {
    switch (attempt.open) {
        case Attempt::Open::ready:
            shared_.limiter.reportSuccess(candidate.ip);
            for (Settled& settled : attempt.settled)
                settle(std::move(settled.recipient), settled.fact);
            if (!attempt.greylisted.empty())
                scheduleGreylist(task, std::move(attempt.greylisted));
            if (!attempt.dropped.empty())
                requeue(task, std::move(attempt.dropped), false);
            if (!attempt.busy.empty()) {
                shared_.limiter.reportBusy(candidate.ip, Clock::now());
                task.busyReply = attempt.reply;
                requeue(task, std::move(attempt.busy), true);
            }
            return;
        case Attempt::Open::cancelled:
            settleTask(task, Fact::smtpTimeout);
            return;
        case Attempt::Open::tlsFailed:
            if (!task.withoutTls) {
                task.withoutTls = true;  // RFC 3207 opportunistic: try again in plain text
                tasks_.push_front(std::move(task));
                return;
            }
            break;
        case Attempt::Open::busy:
            task.sawBusy = true;
            task.busyReply = attempt.reply;
            shared_.limiter.reportBusy(candidate.ip, Clock::now());
            break;
        case Attempt::Open::timeout:
            task.sawTimeout = true;
            break;
        case Attempt::Open::malformed:
            task.sawMalformed = true;
            break;
        case Attempt::Open::noConnect:
            break;
    }
    // MX fallback: the next address in preference order, or give up when none is left.
    ++task.candidate;
    retryOrSettle(std::move(task));
}

void ProbeRun::retryOrSettle(ProbeTask task) {
    const std::vector<Candidate>& candidates = groups_[task.group];
    if (task.candidate < candidates.size()) {
        tasks_.push_front(std::move(task));
        return;
    }
    if (task.sawBusy && task.busyRounds < kMaxBusyRounds) {
        Clock::time_point earliest = Clock::time_point::max();
        for (const Candidate& candidate : candidates)
            earliest = std::min(earliest, shared_.limiter.backoffUntil(candidate.ip));
        earliest = std::max(earliest, Clock::now());
        if (earliest < batch_.deadline) {
            ++task.busyRounds;
            task.candidate = 0;
            task.notBefore = earliest;
            tasks_.push_back(std::move(task));
            return;
        }
    }
    const Fact fact = task.sawTimeout     ? Fact::smtpTimeout
                      : task.sawMalformed ? Fact::smtpUnverified
                                          : Fact::noConnect;
    settleTask(task, fact);
}

void ProbeRun::scheduleGreylist(const ProbeTask& task, std::vector<Recipient> recipients) {
    const Clock::time_point retryAt = Clock::now() + shared_.config.greylistRetry;
    if (task.greylistRound >= shared_.config.greylistMaxRetries || retryAt >= batch_.deadline) {
        for (Recipient& recipient : recipients)
            settle(std::move(recipient), Fact::greylisted);
        return;
    }
    ProbeTask retry;
    retry.group = task.group;
    retry.greylistRound = task.greylistRound + 1;
    retry.withoutTls = task.withoutTls;
    retry.notBefore = retryAt;
    for (Recipient& recipient : recipients) {
        recipient.wasGreylisted = true;
        retry.recipients.push_back(std::move(recipient));
    }
    tasks_.push_back(std::move(retry));
}

void ProbeRun::requeue(const ProbeTask& task, std::vector<Recipient> recipients, bool busy) {
    ProbeTask again;
    again.group = task.group;
    again.greylistRound = task.greylistRound;
    again.withoutTls = task.withoutTls;
    again.busyRounds = task.busyRounds + (busy ? 1 : 0);
    again.dropRetries = task.dropRetries + (busy ? 0 : 1);
    again.sawBusy = busy;
    again.busyReply = task.busyReply;
    again.candidate = task.candidate;  // the host that dropped us stays first; back-off skips it
    again.recipients = std::move(recipients);
    if (again.busyRounds > kMaxBusyRounds || again.dropRetries > kMaxDropRetries) {
        settleTask(again, Fact::noConnect);
        return;
    }
    tasks_.push_back(std::move(again));
}

void ProbeRun::settleTask(ProbeTask& task, Fact fact) {
    for (Recipient& recipient : task.recipients) {
        if (recipient.lastReply.empty() && !task.busyReply.empty())
            recipient.lastReply = task.busyReply;
        settle(std::move(recipient), fact);
    }
    task.recipients.clear();
}

void ProbeRun::settle(Recipient recipient, Fact fact) {
    if (recipient.probe()) {
        if (fact == Fact::mailboxAccepted || fact == Fact::mailboxRefused) {
            const bool catchAll = fact == Fact::mailboxAccepted;
            catchAll_[recipient.domain] = catchAll;
            shared_.catchAll.store(recipient.domain, catchAll, shared_.host.now());
        }
        return;
    }
    // A recipient that was greylisted and then could not be asked again is still "greylisted".
    if (recipient.wasGreylisted &&
        (fact == Fact::smtpTimeout || fact == Fact::noConnect || fact == Fact::smtpUnverified))
        fact = Fact::greylisted;
    Outcome& outcome = outcomes_[recipient.item];
    outcome.set = true;
    outcome.fact = fact;
    outcome.reply = std::move(recipient.lastReply);
    outcome.host = std::move(recipient.lastHost);
}

void ProbeRun::finish() {
    // Whatever is still queued ran out of time (deadline or cancellation): unverified, never
    // refused.
    for (ProbeTask& task : tasks_)
        settleTask(task, Fact::smtpTimeout);
    tasks_.clear();
    for (std::size_t k = 0; k < planned_.size(); ++k) {
        Item& item = batch_.items[planned_[k]];
        Outcome& outcome = outcomes_[planned_[k]];
        if (!outcome.set)
            outcome.fact = Fact::smtpTimeout;
        item.evidence.add(outcome.fact);
        if (outcome.fact == Fact::mailboxAccepted) {
            const auto known = catchAll_.find(item.address.domain);
            if (known != catchAll_.end() && known->second)
                item.evidence.add(Fact::catchAll);
        }
        item.evidence.smtpResponse = outcome.reply;
        item.evidence.mxHost =
            outcome.host.empty() ? groups_[plannedGroup_[k]].front().host : outcome.host;
    }
}

}  // namespace mailsift::stages::smtp
