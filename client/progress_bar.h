#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace mailsift::client {

/// What the bar shows for one poll of a job.
struct JobProgress {
    std::int64_t done = 0;   ///< rows finished (summary.totalEmails)
    std::int64_t total = 0;  ///< rows in the job (emailCount)
    std::int64_t valid = 0;
    std::int64_t risky = 0;
    std::int64_t invalid = 0;
    std::string state;
};

/// Turns successive polls of a job into one status line: a bar, rows done / total, rate, ETA and
/// the counts per classifier. The rate is measured over the polls, from the first one on.
class ProgressBar {
  public:
    explicit ProgressBar(int width = 30) : width_(width) {}

    /// The line for `progress` seen at `now` (no newline, no terminal codes).
    std::string line(const JobProgress& progress, std::chrono::steady_clock::time_point now);

  private:
    int width_;
    bool started_ = false;
    std::chrono::steady_clock::time_point firstAt_;
    std::int64_t firstDone_ = 0;
};

/// "1:05", "12:00:03": a duration in seconds for people.
std::string formatDuration(double seconds);

}  // namespace mailsift::client
