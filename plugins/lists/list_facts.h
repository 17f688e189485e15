#pragma once

#include "lists/list_matcher.h"
#include "mailsift/batch.h"

namespace mailsift::stages::lists {

/// What the lists stage does to one item: records roleAccount, disposableDomain and freeProvider
/// (never freeProvider together with disposableDomain). Skips settled items and items the syntax
/// stage did not fill; never settles. Thread-safe for distinct items.
void recordListFacts(const ListMatcher& matcher, Item& item);

}  // namespace mailsift::stages::lists
