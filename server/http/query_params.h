#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mailsift::http {

/// The decoded query string of a request. Keys may repeat (filters=valid&filters=risky); order is
/// kept. Immutable after parsing, so any thread may read it.
class QueryParams {
  public:
    QueryParams() = default;

    /// Parses a raw query string (without '?'): '&'-separated, percent-decoded, '+' as space.
    /// A pair without '=' has an empty value. Malformed escapes are kept verbatim.
    static QueryParams parse(std::string_view rawQuery);

    /// The first value of `name`, or nullopt when it is absent.
    std::optional<std::string> get(std::string_view name) const;
    /// Every value of `name`, in order; empty when absent.
    std::vector<std::string> all(std::string_view name) const;
    bool has(std::string_view name) const { return get(name).has_value(); }

    const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

  private:
    std::vector<std::pair<std::string, std::string>> pairs_;
};

}  // namespace mailsift::http
