#pragma once

#include <Poco/Logger.h>

#include <string>
#include <vector>

#include "mailsift/batch.h"
#include "mailsift/host_api.h"
#include "mailsift/validator_stage.h"

namespace mailsift::engine {

/// Runs the configured stages, in order, over a batch. The stages belong to the plugin host and
/// outlive the pipeline. Thread-safe: many batches may run at once (stages are thread-safe).
class Pipeline {
  public:
    /// `names` label the stages in logs (same order as `stages`).
    Pipeline(std::vector<ValidatorStage*> stages, std::vector<std::string> names, HostApi& host,
             Poco::Logger& logger);

    /// Runs every stage over `batch` until its deadline or cancellation. A stage that throws is
    /// logged and skipped; the items it did not finish simply carry less evidence (and so are
    /// scored unverified, never invalid).
    void run(Batch& batch) const;

    std::size_t size() const { return stages_.size(); }

  private:
    std::vector<ValidatorStage*> stages_;
    std::vector<std::string> names_;
    HostApi& host_;
    Poco::Logger& logger_;
};

}  // namespace mailsift::engine
