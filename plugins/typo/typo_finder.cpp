#include "typo/typo_finder.h"

#include <algorithm>
#include <array>

#include "typo/edit_distance.h"
#include "typo/tld_slips.h"

namespace mailsift::stages::typo {
namespace {

constexpr std::size_t kShortName = 4;  ///< names this short are matched through TLD slips only
constexpr std::size_t kLongName = 8;   ///< names this long may be two edits away
constexpr std::size_t kMaxDomain = 255;
constexpr int kNoCap = 1000;

std::string_view tldOf(std::string_view domain) {
    const std::size_t dot = domain.rfind('.');
    return dot == std::string_view::npos ? domain : domain.substr(dot + 1);
}

int limitFor(std::string_view domain, std::optional<int> configured) {
    const std::size_t nameLength = std::min(domain.find('.'), domain.size());
    if (nameLength <= kShortName)
        return 0;
    if (configured)
        return *configured;
    return nameLength >= kLongName ? 2 : 1;
}

}  // namespace

TypoFinder::TypoFinder(const std::vector<std::string>& providers,
                       const std::vector<std::string>& known, std::optional<int> maxDistance) {
    known_.add(providers, kProvider);
    known_.add(known, kListed);
    providers_.reserve(providers.size());
    for (const std::string& domain : providers) {
        if (domain.empty())
            continue;
        const int limit = limitFor(domain, maxDistance);
        providers_.push_back(Provider{domain, characterMask(domain), limit});
        const std::size_t reach = static_cast<std::size_t>(limit);
        const std::size_t shortest = domain.size() > reach ? domain.size() - reach : 0;
        shortestProvider_ =
            providers_.size() == 1 ? shortest : std::min(shortestProvider_, shortest);
        longestProvider_ = std::max(longestProvider_, domain.size() + reach);
    }
}

const TypoFinder::Provider* TypoFinder::nearestProvider(std::string_view domain, int cap) const {
    // Cheap prefilter: nothing can be near a domain outside the providers' length range.
    if (domain.size() < shortestProvider_ || domain.size() > longestProvider_)
        return nullptr;
    const std::uint64_t mask = characterMask(domain);
    const Provider* best = nullptr;
    int bestDistance = 0;
    for (const Provider& provider : providers_) {
        const int limit =
            std::min(best ? std::min(provider.limit, bestDistance - 1) : provider.limit, cap);
        if (limit < 0)
            continue;
        const std::size_t gap = domain.size() > provider.domain.size()
                                    ? domain.size() - provider.domain.size()
                                    : provider.domain.size() - domain.size();
        if (gap > static_cast<std::size_t>(limit) || maskLowerBound(mask, provider.mask) > limit)
            continue;
        const int distance = boundedEditDistance(domain, provider.domain, limit);
        if (distance <= limit) {
            best = &provider;
            bestDistance = distance;
        }
    }
    return best;
}

const TypoFinder::Provider* TypoFinder::squattedProvider(std::string_view listed) const {
    // A listed domain is real; but the free list also holds typo-squatting registrations
    // (gmial.com, yaho.com), so one edit from a provider with the same TLD still counts.
    const Provider* provider = nearestProvider(listed, 1);
    return provider != nullptr && tldOf(provider->domain) == tldOf(listed) ? provider : nullptr;
}

std::optional<std::string> TypoFinder::suggest(std::string_view domain) const {
    if (domain.empty() || domain.size() > kMaxDomain)
        return std::nullopt;
    const std::uint8_t flags = known_.flags(domain);
    if ((flags & kProvider) != 0)
        return std::nullopt;
    if ((flags & kListed) != 0) {
        if (const Provider* provider = squattedProvider(domain))
            return provider->domain;
        return std::nullopt;
    }

    // The slip-fixed domain is built in a stack buffer: most domains need no correction, and
    // this path must not allocate for them.
    std::array<char, kMaxDomain + 8> buffer{};
    std::string_view candidate = domain;
    bool tldFixed = false;
    const std::size_t lastDot = domain.rfind('.');
    if (lastDot != std::string_view::npos) {
        const std::string_view meant = correctTld(domain.substr(lastDot + 1));
        if (!meant.empty()) {
            std::copy_n(domain.data(), lastDot + 1, buffer.data());
            std::copy(meant.begin(), meant.end(), buffer.data() + lastDot + 1);
            candidate = std::string_view(buffer.data(), lastDot + 1 + meant.size());
            tldFixed = true;
            const std::uint8_t candidateFlags = known_.flags(candidate);
            if ((candidateFlags & kProvider) != 0)
                return std::string(candidate);
            if ((candidateFlags & kListed) != 0) {
                const Provider* provider = squattedProvider(candidate);
                return provider ? provider->domain : std::string(candidate);
            }
        }
    }
    if (const Provider* provider = nearestProvider(candidate, kNoCap))
        return provider->domain;
    if (tldFixed)
        return std::string(candidate);
    return std::nullopt;
}

}  // namespace mailsift::stages::typo
