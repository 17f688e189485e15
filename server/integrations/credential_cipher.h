#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace mailsift::integrations {

/// The stored form could not be opened: wrong key, wrong account, or the bytes were altered.
class CipherError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

/// Encrypts integration credentials at rest with AES-256-GCM (OpenSSL EVP). Every seal uses a
/// fresh random 12-byte nonce; the stored form is base64 of nonce (12) | tag (16) | ciphertext.
/// The associated data (the owning account) is authenticated but not stored, so a sealed value
/// copied to another account's row does not open. Thread-safe (no mutable state).
class CredentialCipher {
  public:
    static constexpr std::size_t kKeyBytes = 32;
    using Key = std::array<unsigned char, kKeyBytes>;

    explicit CredentialCipher(const Key& key) : key_(key) {}

    std::string seal(std::string_view plaintext, std::string_view associatedData) const;
    /// Throws CipherError when the value does not authenticate under this key and data.
    std::string open(std::string_view sealed, std::string_view associatedData) const;

  private:
    Key key_;
};

/// Reads a key written as 64 hexadecimal digits or as base64 of 32 bytes (surrounding blanks
/// ignored); nullopt for anything else.
std::optional<CredentialCipher::Key> parseKey(std::string_view text);

/// The key from the environment value `envValue` (MAILSIFT_SECRET_KEY) or else from the file
/// `keyFile`; nullopt when both are empty. Throws std::runtime_error with a sentence when one is
/// set but unreadable or malformed (start-up stops then).
std::optional<CredentialCipher::Key> loadKey(const char* envValue, const std::string& keyFile);

}  // namespace mailsift::integrations
