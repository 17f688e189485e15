#pragma once

#include "mailsift/batch.h"
#include "syntax/address_parser.h"

namespace mailsift::stages::syntax {

/// What the syntax stage does to one item: parses item.input, fills item.address and records
/// quotedLocalPart / ipLiteralDomain; on bad syntax records syntaxInvalid and settles the item.
/// Leaves settled items alone. Thread-safe for distinct items.
void checkSyntax(Item& item, const SyntaxOptions& options);

}  // namespace mailsift::stages::syntax
