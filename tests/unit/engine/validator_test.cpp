#include "engine/validator.h"

#include <Poco/Logger.h>
#include <gtest/gtest.h>

#include <mutex>

using namespace mailsift;

namespace {

class NullHost final : public HostApi {
  public:
    void log(LogLevel, std::string_view, std::string_view) override {}
    std::string resolvePath(std::string_view p) const override { return std::string(p); }
    std::chrono::system_clock::time_point now() const override {
        return std::chrono::system_clock::now();
    }
};

/// Marks "@" addresses as parsed and accepted; remembers how many items it saw.
class AcceptingStage : public ValidatorStage {
  public:
    void run(Batch& batch, StageContext&) override {
        std::lock_guard lock(mutex_);
        seen_ += batch.items.size();
        for (Item& item : batch.items) {
            const auto at = item.input.rfind('@');
            if (at == std::string::npos) {
                item.evidence.add(Fact::syntaxInvalid);
                item.settled = true;
                continue;
            }
            item.address.normalized = item.input;
            item.evidence.add(Fact::mxFound);
            item.evidence.add(Fact::mailboxAccepted);
        }
    }
    std::size_t seen_ = 0;
    std::mutex mutex_;
};

class ThrowingStage : public ValidatorStage {
  public:
    void run(Batch&, StageContext&) override { throw std::runtime_error("boom"); }
};

}  // namespace

TEST(Validator, DuplicatesAreCheckedOnceAndAnsweredInOrder) {
    NullHost host;
    AcceptingStage stage;
    engine::Pipeline pipeline({&stage}, {"accepting"}, host, Poco::Logger::get("test"));
    engine::Validator validator(pipeline);
    const auto outcome =
        validator.validate({"a@x.com", "bad", "a@X.COM", " a@x.com ", "b@x.com"}, 1,
                           std::chrono::steady_clock::now() + std::chrono::seconds(5));
    EXPECT_EQ(outcome.uniqueAddresses, 3u);
    EXPECT_EQ(stage.seen_, 3u);
    ASSERT_EQ(outcome.results.size(), 5u);
    EXPECT_EQ(outcome.results[0].classifier, "valid");
    EXPECT_EQ(outcome.results[1].classifier, "invalid");
    EXPECT_EQ(outcome.results[2].classifier, "valid");
    EXPECT_EQ(outcome.results[3].classifier, "valid");
}

TEST(Validator, DedupeKeyTrimsAndLowersTheDomainOnly) {
    EXPECT_EQ(engine::Validator::dedupeKey("  John@Example.COM\t"), "John@example.com");
    EXPECT_EQ(engine::Validator::dedupeKey("   "), "");
}

TEST(Validator, ThrowingStageLeavesItemsUnverifiedNotInvalid) {
    NullHost host;
    ThrowingStage boom;
    AcceptingStage stage;
    // The throwing stage runs last: the address parsed and has a server, but no stage verdict
    // beyond what the first stage said.
    engine::Pipeline pipeline({&boom, &stage, &boom}, {"boom", "accepting", "boom"}, host,
                              Poco::Logger::get("test"));
    const auto outcome = engine::Validator(pipeline).validate(
        {"a@x.com"}, 1, std::chrono::steady_clock::now() + std::chrono::seconds(5));
    EXPECT_EQ(outcome.results[0].classifier, "valid");
}

TEST(Validator, CancelledBatchRunsNoStage) {
    NullHost host;
    AcceptingStage stage;
    engine::Pipeline pipeline({&stage}, {"accepting"}, host, Poco::Logger::get("test"));
    std::atomic<bool> cancel{true};
    const auto outcome = engine::Validator(pipeline).validate(
        {"a@x.com"}, 1, std::chrono::steady_clock::now() + std::chrono::seconds(5), &cancel);
    EXPECT_EQ(stage.seen_, 0u);
    EXPECT_EQ(outcome.results[0].classifier, "invalid");  // never parsed
}
