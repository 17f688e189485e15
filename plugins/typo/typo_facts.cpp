#include "typo/typo_facts.h"

#include <optional>
#include <string>

namespace mailsift::stages::typo {

void recordTypo(const TypoFinder& finder, Item& item) {
    const Address& address = item.address;
    if (item.settled || address.domain.empty() || address.ipLiteral)
        return;
    const std::optional<std::string> domain = finder.suggest(address.domain);
    if (!domain)
        return;
    item.evidence.add(Fact::likelyTypo);
    item.evidence.suggestion.clear();
    item.evidence.suggestion.append(address.local).append(1, '@').append(*domain);
}

}  // namespace mailsift::stages::typo
