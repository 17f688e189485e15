#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/string_set.h"

namespace mailsift::stages::typo {

/// Finds the domain an address most likely meant. Immutable after construction; suggest() may be
/// called from any number of threads.
///
/// Rules, in order:
/// 1. A well-known provider is never corrected: gmx.com stays gmx.com.
/// 2. A domain on the free or disposable lists is real and left alone, except when it is one edit
///    from a well-known provider with the same TLD: those lists include typo-squatting
///    registrations such as gmial.com, hotmial.com and yaho.com. Real providers that close to a
///    well-known one (email.com, y7mail.com) belong in the providers file, which protects them.
/// 3. A TLD slip that is no real TLD is fixed (acme.con -> acme.com; gmail.con -> gmail.com).
/// 4. The (slip-fixed) domain is compared with each well-known provider; the nearest within the
///    provider's edit limit wins, ties going to the earlier provider in the file. The limit
///    depends on the length of the provider's first label ("gmail" in gmail.com): 4 characters
///    or fewer: 0 (too many real domains sit one edit from live.com or aol.com); 5 to 7: 1; 8 or
///    more: 2. A configured max_distance replaces the last two values.
class TypoFinder {
  public:
    /// `providers`: well-known provider domains, most popular first. `known`: every other domain
    /// that is real and must never be corrected (free and disposable lists). `maxDistance`:
    /// nullopt for the automatic limit, else the limit for provider names of 5 or more characters.
    TypoFinder(const std::vector<std::string>& providers, const std::vector<std::string>& known,
               std::optional<int> maxDistance);

    /// The corrected domain for `domain` (lower-case A-labels), or nullopt when it looks right.
    std::optional<std::string> suggest(std::string_view domain) const;

    /// True when `domain` is a provider or on a list given as known.
    bool isKnown(std::string_view domain) const { return known_.contains(domain); }

  private:
    struct Provider {
        std::string domain;
        std::uint64_t mask = 0;
        int limit = 0;
    };

    /// The nearest provider to `domain` within its limit and `cap` edits, or nullptr.
    const Provider* nearestProvider(std::string_view domain, int cap) const;
    /// The provider that the listed (free or disposable) domain `listed` squats on, or nullptr.
    const Provider* squattedProvider(std::string_view listed) const;

    std::vector<Provider> providers_;  ///< file order
    static constexpr std::uint8_t kProvider = 1;
    static constexpr std::uint8_t kListed = 2;  ///< on the free or disposable lists

    StringSet known_;  ///< providers and listed domains in one table: one lookup per domain
    std::size_t shortestProvider_ = 0;
    std::size_t longestProvider_ = 0;
};

}  // namespace mailsift::stages::typo
