#pragma once

struct ssl_ctx_st;

namespace mailsift::fakes {

/// A TLS server context with a fresh self-signed certificate (EC P-256, CN=mx.fake.test) made in
/// memory with the OpenSSL API, for the fake server's STARTTLS. Thread-safe once built.
class FakeTlsContext {
  public:
    /// Throws std::runtime_error when OpenSSL fails.
    FakeTlsContext();
    ~FakeTlsContext();
    FakeTlsContext(const FakeTlsContext&) = delete;
    FakeTlsContext& operator=(const FakeTlsContext&) = delete;

    ssl_ctx_st* get() const { return context_; }

  private:
    ssl_ctx_st* context_ = nullptr;
};

}  // namespace mailsift::fakes
