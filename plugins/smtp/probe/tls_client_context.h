#pragma once

#include <memory>

struct ssl_ctx_st;

namespace mailsift::stages::smtp {

/// The OpenSSL client context that every STARTTLS session shares. Thread-safe once built.
///
/// Certificates are deliberately not verified: MTAs use STARTTLS opportunistically (RFC 3207,
/// RFC 7435), most MX certificates do not match the MX name, and our probe transfers no message
/// and no secret — TLS here only keeps the recipient list away from passive observers and looks
/// like a well-behaved MTA to the server. Refusing unverifiable certificates would only make us
/// fall back to plain text.
class TlsClientContext {
  public:
    /// Throws std::runtime_error when OpenSSL cannot make a context.
    TlsClientContext();
    ~TlsClientContext();
    TlsClientContext(const TlsClientContext&) = delete;
    TlsClientContext& operator=(const TlsClientContext&) = delete;

    ssl_ctx_st* get() const { return context_; }

  private:
    ssl_ctx_st* context_ = nullptr;
};

}  // namespace mailsift::stages::smtp
