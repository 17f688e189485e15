#include "engine/validator.h"

#include <unordered_map>

#include "engine/scoring.h"

namespace mailsift::engine {

std::string Validator::dedupeKey(std::string_view input) {
    constexpr std::string_view kSpace = " \t\r\n";
    const auto first = input.find_first_not_of(kSpace);
    if (first == std::string_view::npos)
        return {};
    input = input.substr(first, input.find_last_not_of(kSpace) - first + 1);
    std::string key(input);
    if (const auto at = key.rfind('@'); at != std::string::npos) {
        for (std::size_t i = at + 1; i < key.size(); ++i) {
            const char c = key[i];
            if (c >= 'A' && c <= 'Z')
                key[i] = static_cast<char>(c - 'A' + 'a');
        }
    }
    return key;
}

Validator::Outcome Validator::validate(const std::vector<std::string>& inputs,
                                       std::int64_t accountId,
                                       std::chrono::steady_clock::time_point deadline,
                                       const std::atomic<bool>* cancel) const {
    Batch batch;
    batch.accountId = accountId;
    batch.deadline = deadline;
    batch.cancelFlag = cancel;
    std::vector<std::size_t> itemOf(inputs.size());
    std::unordered_map<std::string, std::size_t> seen;
    seen.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto [it, inserted] = seen.emplace(dedupeKey(inputs[i]), batch.items.size());
        if (inserted) {
            Item item;
            item.input = inputs[i];
            batch.items.push_back(std::move(item));
        }
        itemOf[i] = it->second;
    }
    pipeline_.run(batch);

    std::vector<ValidationResult> unique;
    unique.reserve(batch.items.size());
    for (const Item& item : batch.items)
        unique.push_back(score(item));
    Outcome outcome;
    outcome.uniqueAddresses = batch.items.size();
    outcome.results.reserve(inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i)
        outcome.results.push_back(unique[itemOf[i]]);
    return outcome;
}

}  // namespace mailsift::engine
