#include "app/shutdown_sequence.h"

#include <algorithm>
#include <chrono>
#include <exception>

namespace mailsift::app {

void ShutdownSequence::add(std::string name, std::function<void()> step) {
    steps_.push_back(Step{std::move(name), std::move(step)});
}

void ShutdownSequence::addBefore(const std::string& before, std::string name,
                                 std::function<void()> step) {
    const auto at =
        std::find_if(steps_.begin(), steps_.end(), [&](const Step& s) { return s.name == before; });
    steps_.insert(at, Step{std::move(name), std::move(step)});
}

std::vector<std::string> ShutdownSequence::names() const {
    std::vector<std::string> out;
    for (const auto& step : steps_)
        out.push_back(step.name);
    return out;
}

bool ShutdownSequence::run() {
    if (done_)
        return true;
    done_ = true;
    bool clean = true;
    for (const Step& step : steps_) {
        const auto started = std::chrono::steady_clock::now();
        try {
            step.run();
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::steady_clock::now() - started)
                                .count();
            logger_.information("shutdown: %s stopped in %?d ms", step.name, ms);
        } catch (const std::exception& e) {
            clean = false;
            logger_.error("shutdown: stopping %s failed: %s", step.name, std::string(e.what()));
        } catch (...) {
            clean = false;
            logger_.error("shutdown: stopping %s failed", step.name);
        }
    }
    return clean;
}

}  // namespace mailsift::app
