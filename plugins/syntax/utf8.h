#pragma once

#include <string_view>

namespace mailsift::stages::syntax {

/// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
/// U+10FFFF) and holds no C0/C1 control characters or DEL.
bool isCleanUtf8(std::string_view text);

}  // namespace mailsift::stages::syntax
