#include "lists/list_facts.h"

namespace mailsift::stages::lists {

void recordListFacts(const ListMatcher& matcher, Item& item) {
    if (item.settled || item.address.domain.empty())
        return;
    // An address literal is no domain name: only the local part can match a list.
    // (Both arms as views: a "" arm would make the result a temporary std::string.)
    const std::string_view domain =
        item.address.ipLiteral ? std::string_view() : std::string_view(item.address.domain);
    const ListMatch match = matcher.match(item.address.local, domain);
    if (match.role)
        item.evidence.add(Fact::roleAccount);
    if (match.disposable)
        item.evidence.add(Fact::disposableDomain);
    if (match.free)
        item.evidence.add(Fact::freeProvider);
}

}  // namespace mailsift::stages::lists
