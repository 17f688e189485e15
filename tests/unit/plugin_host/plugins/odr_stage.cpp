// Built twice, as odr_a and odr_b, with a different ODR_FACT each. Both copies define the same
// class name and the same inline function with different bodies; isolation (hidden visibility and
// RTLD_LOCAL) is what keeps each plugin on its own definitions.
#include <string_view>

#include "mailsift/plugin.h"

namespace plugin_host_test {

inline mailsift::Fact chosenFact() {
    return mailsift::Fact::ODR_FACT;
}

class Impl final : public mailsift::ValidatorStage {
  public:
    Impl(mailsift::HostApi&, std::string_view) {}
    void run(mailsift::Batch& batch, mailsift::StageContext&) override;
};

void Impl::run(mailsift::Batch& batch, mailsift::StageContext&) {
    for (mailsift::Item& item : batch.items)
        item.evidence.add(chosenFact());
}

}  // namespace plugin_host_test

MAILSIFT_PLUGIN(plugin_host_test::Impl, ODR_NAME, stage)
