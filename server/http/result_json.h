#pragma once

#include <Poco/JSON/Object.h>

#include "engine/validation_result.h"

namespace mailsift::http {

/// The result object of API.md: the seven contract fields in order, then the extension fields
/// that apply (normalized, suggestion, free, mxHost).
Poco::JSON::Object::Ptr resultToJson(const engine::ValidationResult& result);

}  // namespace mailsift::http
