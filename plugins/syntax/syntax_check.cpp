#include "syntax/syntax_check.h"

namespace mailsift::stages::syntax {

void checkSyntax(Item& item, const SyntaxOptions& options) {
    if (item.settled)
        return;
    const ParseResult parsed = parseAddress(item.input, options);
    if (!parsed.ok()) {
        item.evidence.add(Fact::syntaxInvalid);
        item.settled = true;
        return;
    }
    Address& address = item.address;
    address.local.assign(parsed.local);
    address.domain = parsed.domain;
    address.normalized.clear();
    address.normalized.reserve(parsed.local.size() + 1 + parsed.domain.size());
    address.normalized.append(parsed.local).append(1, '@').append(parsed.domain);
    address.quotedLocal = parsed.quotedLocal;
    address.ipLiteral = parsed.ipLiteral;
    address.utf8Local = parsed.utf8Local;
    if (parsed.quotedLocal)
        item.evidence.add(Fact::quotedLocalPart);
    if (parsed.ipLiteral)
        item.evidence.add(Fact::ipLiteralDomain);
}

}  // namespace mailsift::stages::syntax
