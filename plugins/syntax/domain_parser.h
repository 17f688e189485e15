#pragma once

#include <string>
#include <string_view>

#include "syntax/address_parser.h"

namespace mailsift::stages::syntax {

/// The domain half of parseAddress: `raw` is everything after the '@'. On success writes the
/// normalised domain (lower-case A-labels, or a bracketed address literal) to `out` and sets
/// `ipLiteral`. Never throws on any input.
SyntaxError parseDomain(std::string_view raw, const SyntaxOptions& options, std::string& out,
                        bool& ipLiteral);

}  // namespace mailsift::stages::syntax
