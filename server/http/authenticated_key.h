#pragma once

#include <string>

#include "store/store.h"

namespace mailsift::http {

/// Who made a request: the API key that authenticated it and the account it belongs to. Every
/// query a handler makes is scoped to `accountId`.
struct AuthenticatedKey {
    store::Id keyId = 0;
    store::Id accountId = 0;
    std::string accountName;
};

}  // namespace mailsift::http
