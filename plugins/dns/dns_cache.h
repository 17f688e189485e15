#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "dns/domain_answer.h"

namespace mailsift::stages::dns {

/// Final domain answers shared by every batch and thread, with an expiry each and a size bound
/// (least recently used entries go first). Keys are lower-case domains. Thread-safe; lookups never
/// do I/O.
class DnsCache {
  public:
    using TimePoint = std::chrono::system_clock::time_point;

    /// `capacity` 0 disables the cache (put() drops everything).
    explicit DnsCache(std::size_t capacity) : capacity_(capacity) {}

    /// The answer for `domain` if one is stored and `now` is before its expiry; an expired one is
    /// removed. A hit counts as a use for LRU purposes.
    std::optional<DomainAnswer> get(std::string_view domain, TimePoint now);
    /// Stores `answer` until now + answer.ttl; a zero ttl stores nothing.
    void put(const std::string& domain, const DomainAnswer& answer, TimePoint now);

    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }

  private:
    struct Entry {
        std::string domain;
        DomainAnswer answer;
        TimePoint expires;
    };
    using List = std::list<Entry>;

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    List entries_;                                                ///< most recently used first
    std::unordered_map<std::string_view, List::iterator> index_;  ///< views into entries_
};

}  // namespace mailsift::stages::dns
