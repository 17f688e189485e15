#include "progress_bar.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace mailsift::client {

std::string formatDuration(double seconds) {
    const auto total = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    char text[32];
    if (total >= 3600) {
        std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                      total % 60);
    } else {
        std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
    }
    return text;
}

std::string ProgressBar::line(const JobProgress& progress,
                              std::chrono::steady_clock::time_point now) {
    if (!started_) {
        started_ = true;
        firstAt_ = now;
        firstDone_ = progress.done;
    }
    const double fraction =
        progress.total > 0
            ? std::clamp(static_cast<double>(progress.done) / static_cast<double>(progress.total),
                         0.0, 1.0)
            : 0.0;
    const int filled = static_cast<int>(fraction * width_);
    std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                      std::string(static_cast<std::size_t>(width_ - filled), '.') + "]";

    const double elapsed = std::chrono::duration<double>(now - firstAt_).count();
    const double rate =
        elapsed > 0.5 ? static_cast<double>(progress.done - firstDone_) / elapsed : 0.0;
    std::string eta = "--:--";
    if (rate > 0.0 && progress.total >= progress.done)
        eta = formatDuration(static_cast<double>(progress.total - progress.done) / rate);

    char text[256];
    std::snprintf(text, sizeof text,
                  " %lld/%lld rows %3d%%  %.0f/s  ETA %s  valid %lld  risky %lld  invalid %lld",
                  static_cast<long long>(progress.done), static_cast<long long>(progress.total),
                  static_cast<int>(fraction * 100.0), rate, eta.c_str(),
                  static_cast<long long>(progress.valid), static_cast<long long>(progress.risky),
                  static_cast<long long>(progress.invalid));
    std::string out = bar + text;
    if (progress.state == "paused" || progress.state == "pending")
        out += "  (" + progress.state + ")";
    return out;
}

}  // namespace mailsift::client
