#pragma once

#include <Poco/Logger.h>

#include <functional>
#include <string>
#include <vector>

namespace mailsift::app {

/// The ordered steps of a graceful shutdown (DESIGN section 11). The runtime adds them in the
/// order they must run: the listener stops taking requests, the job workers stop leasing and
/// finish or release their chunks, other background services stop (each one step), the store
/// closes. A background service that comes later (the webhook dispatcher, say) adds its step with
/// addBefore("store", ...), so it still finds the store open.
///
/// run() runs each step once, in order, logging its name and time; a step that throws is logged
/// and the next one still runs. Built and run on one thread.
class ShutdownSequence {
  public:
    explicit ShutdownSequence(Poco::Logger& logger) : logger_(logger) {}

    /// Appends a step.
    void add(std::string name, std::function<void()> step);
    /// Inserts a step just before the one called `before` (at the end when there is none).
    void addBefore(const std::string& before, std::string name, std::function<void()> step);
    /// The step names in order.
    std::vector<std::string> names() const;

    /// Runs the steps not run yet; true when none threw. Idempotent.
    bool run();

  private:
    struct Step {
        std::string name;
        std::function<void()> run;
    };

    Poco::Logger& logger_;
    std::vector<Step> steps_;
    bool done_ = false;
};

}  // namespace mailsift::app
