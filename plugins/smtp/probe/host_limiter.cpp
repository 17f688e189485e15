#include "probe/host_limiter.h"

#include <algorithm>

namespace mailsift::stages::smtp {

HostLimiter::HostLimiter(int perHost, int global, std::chrono::milliseconds backoffInitial,
                         std::chrono::milliseconds backoffMax)
    : perHost_(perHost),
      global_(global),
      backoffInitial_(backoffInitial),
      backoffMax_(backoffMax) {}

HostLimiter::Acquire HostLimiter::tryAcquire(const std::string& ip, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto it = hosts_.find(ip);
    if (it != hosts_.end()) {
        if (it->second.backoffUntil > now)
            return Acquire::backingOff;
        if (it->second.open >= perHost_)
            return Acquire::hostFull;
    }
    if (openTotal_ >= global_)
        return Acquire::globalFull;
    if (it == hosts_.end())
        it = hosts_.emplace(ip, Host{}).first;
    ++it->second.open;
    ++openTotal_;
    return Acquire::acquired;
}

void HostLimiter::release(const std::string& ip) {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(ip);
    if (it == hosts_.end() || it->second.open == 0)
        return;
    --it->second.open;
    --openTotal_;
    forgetIfIdle(it);
}

HostLimiter::Clock::time_point HostLimiter::reportBusy(const std::string& ip,
                                                       Clock::time_point now) {
    std::lock_guard lock(mutex_);
    Host& host = hosts_[ip];
    host.busyReports = std::min(host.busyReports + 1, 30);
    auto delay = backoffInitial_;
    for (int i = 1; i < host.busyReports && delay < backoffMax_; ++i)
        delay *= 2;
    delay = std::min(delay, backoffMax_);
    host.backoffUntil = std::max(host.backoffUntil, now + delay);
    return host.backoffUntil;
}

void HostLimiter::reportSuccess(const std::string& ip) {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(ip);
    if (it == hosts_.end())
        return;
    it->second.busyReports = 0;
    it->second.backoffUntil = {};
    forgetIfIdle(it);
}

HostLimiter::Clock::time_point HostLimiter::backoffUntil(const std::string& ip) const {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(ip);
    return it == hosts_.end() ? Clock::time_point{} : it->second.backoffUntil;
}

int HostLimiter::open(const std::string& ip) const {
    std::lock_guard lock(mutex_);
    const auto it = hosts_.find(ip);
    return it == hosts_.end() ? 0 : it->second.open;
}

int HostLimiter::openTotal() const {
    std::lock_guard lock(mutex_);
    return openTotal_;
}

void HostLimiter::forgetIfIdle(HostMap::iterator it) {
    // Keep the map small: a host with no session and no back-off has nothing worth remembering.
    if (it->second.open == 0 && it->second.busyReports == 0)
        hosts_.erase(it);
}

}  // namespace mailsift::stages::smtp
