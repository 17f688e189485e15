#pragma once

#include "engine/validation_result.h"
#include "mailsift/batch.h"

namespace mailsift::engine {

/// Turns the evidence the stages recorded on an item into the API verdict. This is the one place
/// where facts become scores, classifiers and description codes (the table in scoring.cpp follows
/// API.md): when several rules apply the lowest score wins and every code is listed.
ValidationResult score(const Item& item);

}  // namespace mailsift::engine
