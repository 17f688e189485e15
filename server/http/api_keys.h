#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/authenticated_key.h"
#include "store/store.h"

namespace mailsift::http {

/// A freshly issued API key. `key` is the only copy of the secret: show it once, never log it.
struct IssuedKey {
    std::string key;             ///< msk_<12 hex lookup id>_<43 base64url chars>
    store::ApiKeyRecord record;  ///< what the store keeps (lookup id and SHA-256 hash)
};

/// The parts of a well-formed key string.
struct ParsedApiKey {
    std::string lookupId;  ///< 12 lowercase hex characters
};

/// Creates a key for `accountId`: a random 6-byte lookup id and 32 random bytes (OpenSSL
/// RAND_bytes) in base64url; stores the lookup id and the hex SHA-256 of the whole key. Throws
/// std::runtime_error when the system has no randomness, store::StoreError when the store fails.
/// Thread-safe.
IssuedKey issueApiKey(store::Store& store, store::Id accountId, store::TimePoint now);

/// Checks an Authorization header value ("Bearer <key>", scheme case-insensitive): the key must be
/// well formed, known by its lookup id, not revoked, and hash to the stored SHA-256 (compared in
/// constant time). Anything else is nullopt, which callers answer with 401. Store failures
/// propagate as store::StoreError. Thread-safe.
std::optional<AuthenticatedKey> authenticate(store::Store& store,
                                             std::string_view authorizationHeader);

/// Splits a key string; nullopt unless it has exactly the issued format.
std::optional<ParsedApiKey> parseApiKey(std::string_view key);

/// Lowercase hex SHA-256 of `data` (64 characters).
std::string sha256Hex(std::string_view data);

}  // namespace mailsift::http
