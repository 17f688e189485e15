#pragma once

#include <cstdint>

#include "engine/validation_result.h"
#include "store/job_records.h"

/// Converts verdicts between the engine's shape and the stored row shape. The seven contract
/// fields map one to one (description codes joined by ';'); the extension fields (normalized,
/// suggestion, free, mxHost) travel as one JSON object in RowResult::extraJson.
namespace mailsift::jobs::result_codec {

/// The stored form of `result` for the row at `pos`.
store::RowResult toRow(std::int64_t pos, const engine::ValidationResult& result);

/// The engine form of a stored result; a malformed extraJson loses only the extension fields.
engine::ValidationResult fromRow(const store::RowResult& row);

}  // namespace mailsift::jobs::result_codec
