#include "dns/dns_cache.h"

namespace mailsift::stages::dns {

std::optional<DomainAnswer> DnsCache::get(std::string_view domain, TimePoint now) {
    std::lock_guard lock(mutex_);
    const auto it = index_.find(domain);
    if (it == index_.end())
        return std::nullopt;
    const List::iterator entry = it->second;
    if (now >= entry->expires) {
        index_.erase(it);
        entries_.erase(entry);
        return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, entry);
    DomainAnswer answer = entry->answer;
    answer.ttl = std::chrono::duration_cast<std::chrono::seconds>(entry->expires - now);
    return answer;
}

void DnsCache::put(const std::string& domain, const DomainAnswer& answer, TimePoint now) {
    if (capacity_ == 0 || answer.ttl <= std::chrono::seconds(0))
        return;
    std::lock_guard lock(mutex_);
    if (const auto it = index_.find(domain); it != index_.end()) {
        const List::iterator entry = it->second;
        entry->answer = answer;
        entry->expires = now + answer.ttl;
        entries_.splice(entries_.begin(), entries_, entry);
        return;
    }
    while (entries_.size() >= capacity_) {
        index_.erase(entries_.back().domain);
        entries_.pop_back();
    }
    entries_.push_front(Entry{domain, answer, now + answer.ttl});
    index_.emplace(entries_.front().domain, entries_.begin());
}

std::size_t DnsCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

}  // namespace mailsift::stages::dns
