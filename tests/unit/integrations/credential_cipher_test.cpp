#include "integrations/credential_cipher.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "support/temp_dir.h"

namespace mailsift::integrations {
namespace {

const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

CredentialCipher cipher() {
    return CredentialCipher(*parseKey(kHexKey));
}

std::string raw(const std::string& sealed) {
    std::istringstream in(sealed);
    Poco::Base64Decoder decoder(in);
    return std::string((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
}

TEST(CredentialCipher, SealsAndOpensWithTheSameAccount) {
    const std::string secret = R"({"accessToken":"pat-na1-0123456789"})";
    const std::string sealed = cipher().seal(secret, "account:1");
    EXPECT_EQ(sealed.find("pat-na1"), std::string::npos);
    EXPECT_EQ(raw(sealed).size(), 12 + 16 + secret.size());  // nonce | tag | ciphertext
    EXPECT_EQ(cipher().open(sealed, "account:1"), secret);
}

TEST(CredentialCipher, EverySealUsesAFreshNonce) {
    std::set<std::string> nonces;
    for (int i = 0; i < 200; ++i)
        nonces.insert(raw(cipher().seal("same text", "a")).substr(0, 12));
    EXPECT_EQ(nonces.size(), 200u);
}

TEST(CredentialCipher, RefusesAnotherAccountAnotherKeyOrAlteredBytes) {
    const std::string sealed = cipher().seal("secret", "account:1");
    EXPECT_THROW(cipher().open(sealed, "account:2"), CipherError);
    auto otherKey = *parseKey(kHexKey);
    otherKey[0] ^= 1;
    EXPECT_THROW(CredentialCipher(otherKey).open(sealed, "account:1"), CipherError);
    std::string bytes = raw(sealed);
    for (std::size_t at : {std::size_t{0}, std::size_t{13}, bytes.size() - 1}) {
        std::string altered = bytes;
        altered[at] = static_cast<char>(altered[at] ^ 0x40);
        std::ostringstream encoded;
        Poco::Base64Encoder encoder(encoded);
        encoder << altered;
        encoder.close();
        EXPECT_THROW(cipher().open(encoded.str(), "account:1"), CipherError) << "byte " << at;
    }
    EXPECT_THROW(cipher().open("not base64 at all!", "account:1"), CipherError);
    EXPECT_THROW(cipher().open("", "account:1"), CipherError);
}

TEST(CredentialCipher, KeysAreHexOrBase64Of32Bytes) {
    EXPECT_TRUE(parseKey(kHexKey));
    EXPECT_TRUE(parseKey(std::string("  ") + kHexKey + "\n"));
    EXPECT_TRUE(parseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="));
    EXPECT_EQ(*parseKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), *parseKey(kHexKey));
    EXPECT_FALSE(parseKey(""));
    EXPECT_FALSE(parseKey("short"));
    EXPECT_FALSE(parseKey(std::string(kHexKey).substr(2)));
    EXPECT_FALSE(parseKey(std::string(63, 'a') + "g"));
}

TEST(CredentialCipher, LoadKeyPrefersTheEnvironmentThenTheFile) {
    testing::TempDir dir;
    const std::string file = dir.path() + "/secret.key";
    std::ofstream(file) << kHexKey << "\n";
    EXPECT_FALSE(loadKey(nullptr, ""));
    EXPECT_FALSE(loadKey("", ""));
    EXPECT_EQ(*loadKey(nullptr, file), *parseKey(kHexKey));
    EXPECT_EQ(*loadKey("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "/nonexistent"),
              *parseKey(kHexKey));
    EXPECT_THROW(loadKey("not a key", ""), std::runtime_error);
    EXPECT_THROW(loadKey(nullptr, dir.path() + "/missing.key"), std::runtime_error);
    try {
        loadKey("not a key", "");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("openssl rand -hex 32"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("not a key"), std::string::npos);
    }
}

}  // namespace
}  // namespace mailsift::integrations
