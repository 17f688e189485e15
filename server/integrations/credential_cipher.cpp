#include "integrations/credential_cipher.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <fstream>
#include <memory>
#include <sstream>

namespace mailsift::integrations {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext newContext() {
    CipherContext ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    if (!ctx)
        throw std::runtime_error("OpenSSL could not allocate a cipher context");
    return ctx;
}

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

std::string base64(const std::string& raw) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << raw;
    encoder.close();
    return out.str();
}

std::optional<std::string> unbase64(std::string_view text) {
    try {
        std::istringstream in{std::string(text)};
        Poco::Base64Decoder decoder(in);
        std::string raw((std::istreambuf_iterator<char>(decoder)),
                        std::istreambuf_iterator<char>());
        return raw;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string_view trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

constexpr const char* kKeyFormat =
    "must be 32 random bytes written as 64 hexadecimal digits or as base64 (make one with "
    "`openssl rand -hex 32`)";

}  // namespace

std::string CredentialCipher::seal(std::string_view plaintext,
                                   std::string_view associatedData) const {
    std::string out(kNonceBytes + kTagBytes + plaintext.size(), '\0');
    auto* nonce = reinterpret_cast<unsigned char*>(out.data());
    auto* tag = nonce + kNonceBytes;
    auto* cipherText = tag + kTagBytes;
    if (RAND_bytes(nonce, kNonceBytes) != 1)
        throw std::runtime_error("OpenSSL could not produce random bytes for a nonce");
    CipherContext ctx = newContext();
    int length = 0;
    if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), nonce) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, bytes(associatedData),
                          static_cast<int>(associatedData.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), cipherText, &length, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), cipherText + length, &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1) {
        throw std::runtime_error("OpenSSL AES-256-GCM encryption failed");
    }
    return base64(out);
}

std::string CredentialCipher::open(std::string_view sealed, std::string_view associatedData) const {
    const std::optional<std::string> raw = unbase64(sealed);
    if (!raw || raw->size() < static_cast<std::size_t>(kNonceBytes + kTagBytes))
        throw CipherError("the stored credentials are not in the sealed format");
    const auto* nonce = bytes(*raw);
    const auto* tag = nonce + kNonceBytes;
    const auto* cipherText = tag + kTagBytes;
    const int cipherLength = static_cast<int>(raw->size()) - kNonceBytes - kTagBytes;
    std::string plain(static_cast<std::size_t>(cipherLength), '\0');
    auto* out = reinterpret_cast<unsigned char*>(plain.data());
    CipherContext ctx = newContext();
    int length = 0;
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_.data(), nonce) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, bytes(associatedData),
                          static_cast<int>(associatedData.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out, &length, cipherText, cipherLength) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                            const_cast<unsigned char*>(tag)) != 1) {
        throw CipherError("OpenSSL AES-256-GCM decryption failed");
    }
    int finalLength = 0;
    if (EVP_DecryptFinal_ex(ctx.get(), out + length, &finalLength) != 1)
        throw CipherError("the stored credentials do not authenticate under this key");
    plain.resize(static_cast<std::size_t>(length + finalLength));
    return plain;
}

std::optional<CredentialCipher::Key> parseKey(std::string_view text) {
    text = trimmed(text);
    CredentialCipher::Key key{};
    if (text.size() == 2 * CredentialCipher::kKeyBytes) {
        bool allHex = true;
        for (std::size_t i = 0; i < key.size() && allHex; ++i) {
            const int high = hexValue(text[2 * i]);
            const int low = hexValue(text[2 * i + 1]);
            allHex = high >= 0 && low >= 0;
            key[i] = static_cast<unsigned char>(high * 16 + low);
        }
        if (allHex)
            return key;
    }
    const std::optional<std::string> raw = unbase64(text);
    if (raw && raw->size() == CredentialCipher::kKeyBytes) {
        std::copy(raw->begin(), raw->end(), key.begin());
        return key;
    }
    return std::nullopt;
}

std::optional<CredentialCipher::Key> loadKey(const char* envValue, const std::string& keyFile) {
    if (envValue != nullptr && !trimmed(envValue).empty()) {
        auto key = parseKey(envValue);
        if (!key)
            throw std::runtime_error(std::string("MAILSIFT_SECRET_KEY ") + kKeyFormat + ".");
        return key;
    }
    if (keyFile.empty())
        return std::nullopt;
    std::ifstream in(keyFile);
    if (!in)
        throw std::runtime_error("integrations.secret_key_file: cannot read " + keyFile +
                                 "; create it or leave the key empty.");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto key = parseKey(text);
    if (!key)
        throw std::runtime_error("integrations.secret_key_file: the key in " + keyFile + " " +
                                 kKeyFormat + ".");
    return key;
}

}  // namespace mailsift::integrations
