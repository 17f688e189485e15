#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace mailsift::stages::smtp {

/// Whether a domain accepts any recipient, as the random-local-part probe found, kept for a TTL
/// across batches. Times come from the host's clock (HostApi::now), so tests can move it.
/// Thread-safe.
class CatchAllCache {
  public:
    using TimePoint = std::chrono::system_clock::time_point;

    explicit CatchAllCache(std::chrono::seconds ttl) : ttl_(ttl) {}

    /// The cached answer for `domain`, or nullopt when unknown or expired.
    std::optional<bool> lookup(const std::string& domain, TimePoint now) const;
    /// Remembers the answer until now + TTL.
    void store(const std::string& domain, bool catchAll, TimePoint now);

  private:
    struct Entry {
        bool catchAll = false;
        TimePoint expires;
    };
    /// Bounds memory: past this many entries, expired ones are dropped (and if that is not
    /// enough, everything: the cache only saves probes).
    static constexpr std::size_t kMaxEntries = 200000;

    const std::chrono::seconds ttl_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace mailsift::stages::smtp
