#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mailsift::metrics {

/// Label name/value pairs of one series, e.g. {{"route", "/healthz"}, {"status", "200"}}. The
/// registry sorts them by name, so the order in which a caller lists them does not matter.
using Labels = std::vector<std::pair<std::string, std::string>>;

}  // namespace mailsift::metrics
