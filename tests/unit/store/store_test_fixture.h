#pragma once

// The typed fixture shared by the conformance suites: each test runs once per back-end
// (StoreConformance/Sqlite.*, StoreJobsConformance/Mysql.*, ...).

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "store/store.h"
#include "store_test_backends.h"

namespace mailsift::store::testing {

inline TimePoint at(std::int64_t ms) {
    return TimePoint(std::chrono::milliseconds(ms));
}

template <class Backend>
class StoreFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        backend_.setUp();
        if (HasFatalFailure()) {
            return;
        }
        store_ = backend_.open();
    }

    void TearDown() override {
        store_.reset();
        backend_.tearDown();
    }

    /// The store, migrated.
    Store& store() {
        if (store_->schemaVersion() == 0) {
            store_->migrate();
        }
        return *store_;
    }

    Backend backend_;
    std::unique_ptr<Store> store_;
};

struct BackendNames {
    template <class Backend>
    static std::string GetName(int) {
        return Backend::kName;
    }
};

using Backends = ::testing::Types<SqliteBackend, MysqlBackend>;

}  // namespace mailsift::store::testing
