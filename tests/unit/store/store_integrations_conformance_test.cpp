// The integrations table on every back-end (StoreIntegrations/Sqlite.*, .../Mysql.*).

#include <gtest/gtest.h>

#include "store/store.h"
#include "store_test_fixture.h"

namespace mailsift::store {
namespace {

using testing::at;

template <class Backend>
class StoreIntegrations : public testing::StoreFixture<Backend> {
  protected:
    IntegrationRecord make(Id accountId, const std::string& name) {
        IntegrationRecord r;
        r.accountId = accountId;
        r.system = "hubspot";
        r.name = name;
        r.sealedCredentials = "c2VhbGVk";
        r.optionsJson = R"({"listId":"42","writeBack":true})";
        return r;
    }
};

using testing::BackendNames;
using testing::Backends;
TYPED_TEST_SUITE(StoreIntegrations, Backends, BackendNames);

TYPED_TEST(StoreIntegrations, CreateFindListDeleteScopedToTheAccount) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    const Id bob = s.createAccount("bob", at(1)).id;
    const IntegrationRecord first = s.createIntegration(this->make(alice, "crm"), at(1000));
    const IntegrationRecord second = s.createIntegration(this->make(alice, "crm 2"), at(2000));
    s.createIntegration(this->make(bob, "crm"), at(3000));  // same name, other account: fine
    EXPECT_GT(first.id, 0);
    EXPECT_NE(first.id, second.id);
    EXPECT_EQ(first.createdAt, at(1000));

    const auto found = s.findIntegration(alice, first.id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->system, "hubspot");
    EXPECT_EQ(found->name, "crm");
    EXPECT_EQ(found->sealedCredentials, "c2VhbGVk");
    EXPECT_NE(found->optionsJson.find("\"listId\""), std::string::npos);
    EXPECT_EQ(found->updatedAt, at(1000));
    EXPECT_FALSE(s.findIntegration(bob, first.id));

    const auto list = s.listIntegrations(alice);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, first.id);
    EXPECT_EQ(list[1].id, second.id);

    EXPECT_FALSE(s.deleteIntegration(bob, first.id));
    EXPECT_TRUE(s.deleteIntegration(alice, first.id));
    EXPECT_FALSE(s.deleteIntegration(alice, first.id));
    EXPECT_FALSE(s.findIntegration(alice, first.id));
    EXPECT_EQ(s.listIntegrations(alice).size(), 1u);
}

TYPED_TEST(StoreIntegrations, ANameTakenInTheAccountIsAConflict) {
    Store& s = this->store();
    const Id alice = s.createAccount("alice", at(1)).id;
    s.createIntegration(this->make(alice, "crm"), at(1000));
    EXPECT_THROW(s.createIntegration(this->make(alice, "crm"), at(2000)), StoreConflict);
}

}  // namespace
}  // namespace mailsift::store
