#include "http/api_keys.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <regex>
#include <set>

#include "in_memory_store.h"

namespace mailsift::http {
namespace {

/// An independent SHA-256 (via the EVP digest API) to check what issueApiKey stores.
std::string referenceSha256Hex(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
    std::string hex;
    char byte[3];
    for (unsigned int i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof(byte), "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

class ApiKeysTest : public ::testing::Test {
  protected:
    ApiKeysTest() { accountId_ = store_.createAccount("acme", now()).id; }
    static store::TimePoint now() { return std::chrono::system_clock::now(); }

    testing::InMemoryStore store_;
    store::Id accountId_ = 0;
};

TEST_F(ApiKeysTest, IssuedKeyHasTheDocumentedFormat) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    EXPECT_TRUE(std::regex_match(issued.key, std::regex("msk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")))
        << issued.key;
    EXPECT_EQ(issued.record.lookupId, issued.key.substr(4, 12));
    EXPECT_EQ(issued.record.accountId, accountId_);
    ASSERT_TRUE(parseApiKey(issued.key).has_value());
    EXPECT_EQ(parseApiKey(issued.key)->lookupId, issued.record.lookupId);
}

TEST_F(ApiKeysTest, StoresTheSha256OfTheWholeKeyNeverTheKey) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    const auto stored = store_.findApiKey(issued.record.lookupId);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->secretHash, referenceSha256Hex(issued.key));
    EXPECT_EQ(stored->secretHash.size(), 64u);
    EXPECT_EQ(stored->secretHash.find(issued.key.substr(21)), std::string::npos);
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(ApiKeysTest, KeysAreUnique) {
    std::set<std::string> keys;
    std::set<std::string> lookups;
    for (int i = 0; i < 500; ++i) {
        const IssuedKey issued = issueApiKey(store_, accountId_, now());
        keys.insert(issued.key);
        lookups.insert(issued.record.lookupId);
    }
    EXPECT_EQ(keys.size(), 500u);
    EXPECT_EQ(lookups.size(), 500u);
}

TEST_F(ApiKeysTest, AuthenticatesAGoodKey) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    const auto key = authenticate(store_, "Bearer " + issued.key);
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->accountId, accountId_);
    EXPECT_EQ(key->keyId, issued.record.id);
    EXPECT_EQ(key->accountName, "acme");
}

TEST_F(ApiKeysTest, SchemeIsCaseInsensitiveAndSpacesAreTrimmed) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    EXPECT_TRUE(authenticate(store_, "bearer " + issued.key).has_value());
    EXPECT_TRUE(authenticate(store_, "BEARER   " + issued.key + "  ").has_value());
}

TEST_F(ApiKeysTest, RejectsMalformedHeadersWithoutAskingTheStore) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    const int before = store_.findApiKeyCalls();
    for (const std::string& header :
         {std::string(""), std::string("Bearer"), std::string("Bearer "), issued.key,
          "Basic " + issued.key, "Token " + issued.key, "Bearer " + issued.key + "x",
          "Bearer " + issued.key.substr(0, 59), "Bearer msk_ZZZZZZZZZZZZ" + issued.key.substr(16),
          "Bearer xsk_" + issued.key.substr(4), "Bearer " + issued.key + " extra"}) {
        EXPECT_FALSE(authenticate(store_, header).has_value()) << header;
    }
    EXPECT_EQ(store_.findApiKeyCalls(), before);
}

TEST_F(ApiKeysTest, RejectsAWrongSecretForAKnownLookupId) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    std::string forged = issued.key;
    forged.back() = forged.back() == 'A' ? 'B' : 'A';
    EXPECT_FALSE(authenticate(store_, "Bearer " + forged).has_value());
}

TEST_F(ApiKeysTest, RejectsAnUnknownKey) {
    EXPECT_FALSE(
        authenticate(store_, "Bearer msk_000000000000_" + std::string(43, 'A')).has_value());
}

TEST_F(ApiKeysTest, RejectsARevokedKey) {
    const IssuedKey issued = issueApiKey(store_, accountId_, now());
    ASSERT_TRUE(store_.revokeApiKey(issued.record.id, now()));
    EXPECT_FALSE(authenticate(store_, "Bearer " + issued.key).has_value());
}

}  // namespace
}  // namespace mailsift::http
