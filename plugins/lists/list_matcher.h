#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_set.h"

namespace mailsift::stages::lists {

/// What the lists say about one address.
struct ListMatch {
    bool role = false;        ///< the local part (or the part before a '+' tag) names a role
    bool disposable = false;  ///< exact entry, or the domain is (a subdomain of) a wildcard entry
    bool free = false;        ///< free provider; never set together with disposable
};

/// The entries of the list files, as plain strings (lower case; domains in A-labels).
struct ListEntries {
    std::vector<std::string> roleLocalParts;
    std::vector<std::string> disposableDomains;
    std::vector<std::string> disposableWildcards;  ///< every subdomain of these is disposable
    std::vector<std::string> freeDomains;
};

/// Looks addresses up in the role, disposable and free lists. Immutable after construction;
/// match() allocates nothing and may be called from any number of threads.
class ListMatcher {
  public:
    explicit ListMatcher(const ListEntries& entries);

    /// `local` as written (compared case-insensitively, also without its "+tag"); `domain` in
    /// lower-case A-labels as the syntax stage leaves it.
    ListMatch match(std::string_view local, std::string_view domain) const;

    bool isRole(std::string_view local) const;
    bool isDisposable(std::string_view domain) const;
    bool isFree(std::string_view domain) const { return (domains_.flags(domain) & kFree) != 0; }

  private:
    static constexpr std::uint8_t kDisposable = 1;
    static constexpr std::uint8_t kFree = 2;

    /// Disposable (exact) and free domains in one table: one lookup answers both.
    bool isDisposable(std::string_view domain, std::uint8_t flags) const;

    StringSet role_;
    StringSet domains_;
    StringSet wildcards_;  ///< small: probed once per parent domain
};

}  // namespace mailsift::stages::lists
