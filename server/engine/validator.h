#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/pipeline.h"
#include "engine/validation_result.h"

namespace mailsift::engine {

/// Validates a list of addresses as submitted: identical addresses are checked once, every input
/// gets its result back in input order. Used by the synchronous route and by job workers.
class Validator {
  public:
    explicit Validator(const Pipeline& pipeline) : pipeline_(pipeline) {}

    struct Outcome {
        std::vector<ValidationResult> results;  ///< one per input, in input order
        std::size_t uniqueAddresses = 0;        ///< what credits count
    };

    /// Runs the pipeline over the unique addresses of `inputs`. `cancel` may be null.
    Outcome validate(const std::vector<std::string>& inputs, std::int64_t accountId,
                     std::chrono::steady_clock::time_point deadline,
                     const std::atomic<bool>* cancel = nullptr) const;

    /// The key under which two inputs count as the same address: trimmed, domain lower-cased.
    static std::string dedupeKey(std::string_view input);

  private:
    const Pipeline& pipeline_;
};

}  // namespace mailsift::engine
