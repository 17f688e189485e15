#include "probe/catch_all_cache.h"

#include <iterator>

namespace mailsift::stages::smtp {

std::optional<bool> CatchAllCache::lookup(const std::string& domain, TimePoint now) const {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(domain);
    if (it == entries_.end() || it->second.expires <= now)
        return std::nullopt;
    return it->second.catchAll;
}

void CatchAllCache::store(const std::string& domain, bool catchAll, TimePoint now) {
    if (ttl_.count() == 0)
        return;
    std::lock_guard lock(mutex_);
    if (entries_.size() >= kMaxEntries) {
        for (auto it = entries_.begin(); it != entries_.end();)
            it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
        if (entries_.size() >= kMaxEntries)
            entries_.clear();
    }
    entries_[domain] = Entry{catchAll, now + ttl_};
}

}  // namespace mailsift::stages::smtp
