#include "probe/tls_client_context.h"

#include <openssl/ssl.h>

#include <stdexcept>

namespace mailsift::stages::smtp {

TlsClientContext::TlsClientContext() {
    context_ = SSL_CTX_new(TLS_client_method());
    if (context_ == nullptr)
        throw std::runtime_error("smtp: OpenSSL could not create a TLS client context");
    SSL_CTX_set_verify(context_, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_min_proto_version(context_, TLS1_2_VERSION);
    // A probe session lives seconds; no session resumption cache is worth keeping.
    SSL_CTX_set_session_cache_mode(context_, SSL_SESS_CACHE_OFF);
}

TlsClientContext::~TlsClientContext() {
    SSL_CTX_free(context_);
}

}  // namespace mailsift::stages::smtp
