#pragma once

#include <string>

namespace mailsift {

/// An address as the syntax stage parsed it. Empty until that stage has run.
struct Address {
    std::string
        normalized;      ///< local@domain after trimming, with the domain lower-cased in A-labels
    std::string local;   ///< local part as written (UTF-8 allowed, RFC 6531)
    std::string domain;  ///< domain in A-labels (IDNA), lower case, no trailing dot
    bool quotedLocal = false;  ///< local part is a quoted string ("a b"@x): parses, but is flagged
    bool ipLiteral = false;  ///< domain is an address literal ([192.0.2.1]): parses, but is flagged
    bool utf8Local = false;  ///< local part has non-ASCII characters (needs SMTPUTF8)
};

}  // namespace mailsift
