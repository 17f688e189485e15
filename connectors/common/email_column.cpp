#include "common/email_column.h"

namespace mailsift::connectors {

bool EmailColumn::isEmailHeader(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
        value.remove_suffix(1);
    constexpr std::string_view kHeader = "email";
    if (value.size() != kHeader.size())
        return false;
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
        if (c != kHeader[i])
            return false;
    }
    return true;
}

bool EmailColumn::endRow() {
    if (!nonBlank_)
        return !sink_.stopRequested();
    if (!decided_) {
        decided_ = true;
        if (headerColumn_.found) {
            column_ = headerColumn_.index;
            return !sink_.stopRequested();
        }
    }
    sink_.row(hasValue_ ? std::string_view(value_) : std::string_view());
    return !sink_.stopRequested();
}

}  // namespace mailsift::connectors
