#pragma once

// Certificates for TLS tests, made with the openssl command line into a temp folder.

#include <string>

#include "support/temp_dir.h"

namespace mailsift::testing {

/// Paths of a PEM certificate and its unencrypted PEM key.
struct CertificatePair {
    std::string certificate;
    std::string privateKey;
};

/// A self-signed certificate valid for one day. `subjectAltName` in openssl's syntax, e.g.
/// "IP:127.0.0.1" or "DNS:other.test". Files are <name>.pem and <name>-key.pem in `dir`.
/// Throws std::runtime_error with openssl's message when it fails.
CertificatePair makeSelfSigned(const TempDir& dir, const std::string& name,
                               const std::string& commonName, const std::string& subjectAltName);

/// A CA certificate (CA:TRUE, self-signed) for signing test certificates.
CertificatePair makeCertificateAuthority(const TempDir& dir, const std::string& name);

/// A certificate for `commonName` / `subjectAltName` signed by `ca`.
CertificatePair makeSignedBy(const CertificatePair& ca, const TempDir& dir, const std::string& name,
                             const std::string& commonName, const std::string& subjectAltName);

}  // namespace mailsift::testing
