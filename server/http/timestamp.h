#pragma once

#include <string>

#include "store/store.h"

namespace mailsift::http {

/// ISO 8601 UTC with whole seconds and `Z`, e.g. "2026-01-15T10:30:00Z" (the API's timestamp form).
std::string formatTimestamp(store::TimePoint time);

}  // namespace mailsift::http
