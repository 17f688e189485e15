// A well-formed stage: records mxFound on every unsettled item, and tells the host its config
// and its destruction.
#include <string>
#include <string_view>

#include "mailsift/plugin.h"

namespace plugin_host_test {

class GoodStage final : public mailsift::ValidatorStage {
  public:
    GoodStage(mailsift::HostApi& host, std::string_view configJson) : host_(host) {
        host_.log(mailsift::HostApi::LogLevel::info, "test.stage.good",
                  "configured with " + std::string(configJson));
    }
    ~GoodStage() override {
        host_.log(mailsift::HostApi::LogLevel::info, "test.stage.good", "destroyed");
    }

    void run(mailsift::Batch& batch, mailsift::StageContext&) override {
        for (mailsift::Item& item : batch.items) {
            if (!item.settled)
                item.evidence.add(mailsift::Fact::mxFound);
        }
    }

  private:
    mailsift::HostApi& host_;
};

}  // namespace plugin_host_test

MAILSIFT_PLUGIN(plugin_host_test::GoodStage, "test.stage.good", stage)
