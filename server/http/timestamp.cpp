#include "http/timestamp.h"

#include <chrono>
#include <ctime>

namespace mailsift::http {

std::string formatTimestamp(store::TimePoint time) {
    const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
    const std::time_t epoch = static_cast<std::time_t>(seconds.time_since_epoch().count());
    std::tm utc{};
    if (gmtime_r(&epoch, &utc) == nullptr) {
        return "1970-01-01T00:00:00Z";  // out of range for the C library; cannot happen in practice
    }
    char buffer[32];
    const std::size_t length = std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(buffer, length);
}

}  // namespace mailsift::http
