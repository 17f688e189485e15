#include "lists/list_matcher.h"

#include <array>

#include "common/ascii.h"

namespace mailsift::stages::lists {
namespace {

/// Role entries are short; a local part longer than this cannot be one.
constexpr std::size_t kMaxRoleBytes = 64;

}  // namespace

ListMatcher::ListMatcher(const ListEntries& entries)
    : role_(entries.roleLocalParts), wildcards_(entries.disposableWildcards) {
    domains_.add(entries.disposableDomains, kDisposable);
    domains_.add(entries.freeDomains, kFree);
}

bool ListMatcher::isRole(std::string_view local) const {
    if (local.empty() || local.size() > kMaxRoleBytes)
        return false;
    std::array<char, kMaxRoleBytes> lowered{};
    std::size_t plus = local.size();
    for (std::size_t i = 0; i < local.size(); ++i) {
        lowered[i] = toLowerAscii(local[i]);
        if (local[i] == '+' && plus == local.size())
            plus = i;
    }
    const std::string_view whole(lowered.data(), local.size());
    if (role_.contains(whole))
        return true;
    return plus > 0 && plus < local.size() && role_.contains(whole.substr(0, plus));
}

bool ListMatcher::isDisposable(std::string_view domain) const {
    return isDisposable(domain, domains_.flags(domain));
}

bool ListMatcher::isDisposable(std::string_view domain, std::uint8_t flags) const {
    if ((flags & kDisposable) != 0)
        return true;
    // The wildcard entry itself and every subdomain of it: try each suffix that starts a label.
    std::string_view suffix = domain;
    while (!suffix.empty()) {
        if (wildcards_.contains(suffix))
            return true;
        const std::size_t dot = suffix.find('.');
        if (dot == std::string_view::npos)
            break;
        suffix.remove_prefix(dot + 1);
    }
    return false;
}

ListMatch ListMatcher::match(std::string_view local, std::string_view domain) const {
    ListMatch result;
    result.role = isRole(local);
    const std::uint8_t flags = domains_.flags(domain);
    result.disposable = isDisposable(domain, flags);
    result.free = !result.disposable && (flags & kFree) != 0;
    return result;
}

}  // namespace mailsift::stages::lists
