#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>

namespace mailsift::stages::smtp {

/// Session caps and back-off per MX address, shared by every batch the stage runs. Thread-safe.
class HostLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    enum class Acquire {
        acquired,    ///< a slot is ours: call release() when the session ends
        hostFull,    ///< per-host cap reached: wait for a session to end
        globalFull,  ///< global cap reached
        backingOff,  ///< the host told us to go away; see backoffUntil()
    };

    HostLimiter(int perHost, int global, std::chrono::milliseconds backoffInitial,
                std::chrono::milliseconds backoffMax);

    /// Takes a session slot for `ip` when both caps and the host's back-off allow it.
    Acquire tryAcquire(const std::string& ip, Clock::time_point now);
    /// Gives back a slot taken by tryAcquire.
    void release(const std::string& ip);

    /// The host answered 421 or "too many connections": no new session before the returned time,
    /// which doubles with every report in a row (from backoffInitial up to backoffMax).
    Clock::time_point reportBusy(const std::string& ip, Clock::time_point now);
    /// A session got through: the host's back-off starts over.
    void reportSuccess(const std::string& ip);
    /// When the host's back-off ends (a past time when there is none).
    Clock::time_point backoffUntil(const std::string& ip) const;

    /// Sessions open now to `ip`, and in total (for tests and metrics).
    int open(const std::string& ip) const;
    int openTotal() const;

  private:
    struct Host {
        int open = 0;
        int busyReports = 0;
        Clock::time_point backoffUntil{};
    };
    using HostMap = std::map<std::string, Host, std::less<>>;
    void forgetIfIdle(HostMap::iterator it);

    const int perHost_;
    const int global_;
    const std::chrono::milliseconds backoffInitial_;
    const std::chrono::milliseconds backoffMax_;
    mutable std::mutex mutex_;
    HostMap hosts_;
    int openTotal_ = 0;
};

}  // namespace mailsift::stages::smtp
