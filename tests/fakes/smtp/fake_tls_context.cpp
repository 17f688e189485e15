#include "smtp/fake_tls_context.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

namespace mailsift::fakes {
namespace {

struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
    void operator()(X509* cert) const { X509_free(cert); }
};

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("fake smtp TLS: ") + what);
}

}  // namespace

FakeTlsContext::FakeTlsContext() {
    std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
    if (!key)
        fail("could not make a key");
    std::unique_ptr<X509, CertFree> cert(X509_new());
    if (!cert)
        fail("could not make a certificate");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 3600);
    X509_NAME* name = X509_get_subject_name(cert.get());
    const auto* commonName = reinterpret_cast<const unsigned char*>("mx.fake.test");
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, commonName, -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        fail("could not sign the certificate");

    context_ = SSL_CTX_new(TLS_server_method());
    if (context_ == nullptr)
        fail("could not make a context");
    if (SSL_CTX_use_certificate(context_, cert.get()) != 1 ||
        SSL_CTX_use_PrivateKey(context_, key.get()) != 1)
        fail("could not load the certificate");
}

FakeTlsContext::~FakeTlsContext() {
    SSL_CTX_free(context_);
}

}  // namespace mailsift::fakes
