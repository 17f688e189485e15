#include "http/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace mailsift::http {

namespace {

constexpr std::string_view kPrefix = "msk_";
constexpr std::size_t kLookupBytes = 6;   // 12 hex characters
constexpr std::size_t kSecretBytes = 32;  // 43 base64url characters
constexpr std::size_t kLookupChars = kLookupBytes * 2;
constexpr std::size_t kSecretChars = 43;
constexpr int kIssueAttempts = 3;

template <std::size_t N>
std::array<unsigned char, N> randomBytes() {
    std::array<unsigned char, N> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error(
            "The system random generator failed; cannot create an API key. Check that the "
            "operating system provides entropy (/dev/urandom).");
    }
    return bytes;
}

std::string toHex(const unsigned char* data, std::size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        out += kDigits[data[i] >> 4];
        out += kDigits[data[i] & 0x0f];
    }
    return out;
}

std::string toBase64Url(const unsigned char* data, std::size_t size) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (std::size_t i = 0; i < size; ++i) {
        buffer = (buffer << 8) | data[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += kAlphabet[(buffer >> bits) & 0x3f];
        }
    }
    if (bits > 0) {
        out += kAlphabet[(buffer << (6 - bits)) & 0x3f];
    }
    return out;  // no padding
}

bool isLowerHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool isBase64Url(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

std::string_view trim(std::string_view text) {
    const std::size_t first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) {
            return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
        };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::string sha256Hex(std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("OpenSSL could not compute a SHA-256 digest.");
    }
    return toHex(digest.data(), length);
}

std::optional<ParsedApiKey> parseApiKey(std::string_view key) {
    if (key.size() != kPrefix.size() + kLookupChars + 1 + kSecretChars ||
        !key.starts_with(kPrefix)) {
        return std::nullopt;
    }
    const std::string_view lookup = key.substr(kPrefix.size(), kLookupChars);
    const std::string_view secret = key.substr(kPrefix.size() + kLookupChars + 1);
    if (key[kPrefix.size() + kLookupChars] != '_' ||
        !std::all_of(lookup.begin(), lookup.end(), isLowerHex) ||
        !std::all_of(secret.begin(), secret.end(), isBase64Url)) {
        return std::nullopt;
    }
    return ParsedApiKey{std::string(lookup)};
}

IssuedKey issueApiKey(store::Store& store, store::Id accountId, store::TimePoint now) {
    for (int attempt = 1;; ++attempt) {
        const auto lookupBytes = randomBytes<kLookupBytes>();
        const auto secretBytes = randomBytes<kSecretBytes>();
        const std::string lookupId = toHex(lookupBytes.data(), lookupBytes.size());
        std::string key = std::string(kPrefix) + lookupId + "_" +
                          toBase64Url(secretBytes.data(), secretBytes.size());
        try {
            store::ApiKeyRecord record =
                store.createApiKey(accountId, lookupId, sha256Hex(key), now);
            return IssuedKey{std::move(key), std::move(record)};
        } catch (const store::StoreConflict&) {
            if (attempt >= kIssueAttempts) {
                throw;  // 48 random bits colliding three times means something else is wrong
            }
        }
    }
}

std::optional<AuthenticatedKey> authenticate(store::Store& store,
                                             std::string_view authorizationHeader) {
    const std::string_view header = trim(authorizationHeader);
    const std::size_t space = header.find_first_of(" \t");
    if (space == std::string_view::npos || !equalsIgnoreCase(header.substr(0, space), "bearer")) {
        return std::nullopt;
    }
    const std::string_view key = trim(header.substr(space));
    const auto parsed = parseApiKey(key);
    if (!parsed) {
        return std::nullopt;
    }
    const auto record = store.findApiKey(parsed->lookupId);
    if (!record || record->revokedAt.has_value()) {
        return std::nullopt;
    }
    const std::string presented = sha256Hex(key);
    if (record->secretHash.size() != presented.size() ||
        CRYPTO_memcmp(presented.data(), record->secretHash.data(), presented.size()) != 0) {
        return std::nullopt;
    }
    return AuthenticatedKey{record->id, record->accountId, record->accountName};
}

}  // namespace mailsift::http
