#pragma once

#include "mailsift/batch.h"
#include "typo/typo_finder.h"

namespace mailsift::stages::typo {

/// What the typo stage does to one item: when the domain looks mistyped, records likelyTypo and
/// sets Evidence::suggestion to the whole corrected address (local part as written). Skips
/// settled items and address literals; never settles. Thread-safe for distinct items.
void recordTypo(const TypoFinder& finder, Item& item);

}  // namespace mailsift::stages::typo
