#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mailsift::http {

/// Values of a route's `{name}` segments, percent-decoded, in pattern order.
using PathParams = std::vector<std::pair<std::string, std::string>>;

}  // namespace mailsift::http
