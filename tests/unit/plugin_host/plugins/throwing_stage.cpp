// A stage whose constructor throws: the macro must turn that into a null create with the message.
#include <stdexcept>
#include <string_view>

#include "mailsift/plugin.h"

namespace plugin_host_test {

class ThrowingStage final : public mailsift::ValidatorStage {
  public:
    ThrowingStage(mailsift::HostApi&, std::string_view) {
        throw std::runtime_error("list file /nowhere/roles.txt cannot be opened");
    }
    void run(mailsift::Batch&, mailsift::StageContext&) override {}
};

}  // namespace plugin_host_test

MAILSIFT_PLUGIN(plugin_host_test::ThrowingStage, "test.stage.throwing", stage)
