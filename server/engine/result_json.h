#pragma once

#include <string>
#include <string_view>

#include "engine/validation_result.h"

namespace mailsift::engine {

/// Appends the result object of API.md to `out`: the seven contract fields in order, then the
/// extension fields that apply (normalized, suggestion, free, mxHost). Written directly as text:
/// a page of 1,000 results is on the hot path of GET .../result.
void appendResultJson(std::string& out, const engine::ValidationResult& result);

/// Appends `text` as a JSON string literal. Control characters are escaped; bytes that are not
/// valid UTF-8 (an uploaded file may hold anything) become U+FFFD, so the output is always JSON.
void appendJsonString(std::string& out, std::string_view text);

}  // namespace mailsift::engine
