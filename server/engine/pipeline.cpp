#include "engine/pipeline.h"

#include <exception>

namespace mailsift::engine {

Pipeline::Pipeline(std::vector<ValidatorStage*> stages, std::vector<std::string> names,
                   HostApi& host, Poco::Logger& logger)
    : stages_(std::move(stages)), names_(std::move(names)), host_(host), logger_(logger) {
    names_.resize(stages_.size(), "stage");
}

void Pipeline::run(Batch& batch) const {
    StageContext context{host_};
    for (std::size_t i = 0; i < stages_.size(); ++i) {
        if (batch.cancelled())
            return;
        // Past the deadline, later stages still run: the cheap ones (syntax, lists) need no I/O,
        // and the I/O stages return at once, recording that they could not verify.
        try {
            stages_[i]->run(batch, context);
        } catch (const std::exception& e) {
            logger_.error("stage %s failed on a batch of %?d address(es): %s", names_[i],
                          batch.items.size(), std::string(e.what()));
        } catch (...) {
            logger_.error("stage %s failed on a batch of %?d address(es) with an unknown error",
                          names_[i], batch.items.size());
        }
    }
}

}  // namespace mailsift::engine
