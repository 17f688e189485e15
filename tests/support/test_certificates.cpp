#include "support/test_certificates.h"

#include <random>
#include <stdexcept>
#include <vector>

#include "support/server_process.h"

namespace mailsift::testing {

namespace {

void openssl(const std::vector<std::string>& args) {
    const CommandResult made = runCommand("/usr/bin/openssl", args);
    if (made.exitCode != 0) {
        std::string line = "openssl";
        for (const auto& arg : args) {
            line += " " + arg;
        }
        throw std::runtime_error(line + " failed: " + made.err);
    }
}

CertificatePair pairIn(const TempDir& dir, const std::string& name) {
    return {dir.file(name + ".pem"), dir.file(name + "-key.pem")};
}

}  // namespace

CertificatePair makeSelfSigned(const TempDir& dir, const std::string& name,
                               const std::string& commonName, const std::string& subjectAltName) {
    const CertificatePair pair = pairIn(dir, name);
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
             "/CN=" + commonName, "-addext", "subjectAltName=" + subjectAltName, "-keyout",
             pair.privateKey, "-out", pair.certificate});
    return pair;
}

CertificatePair makeCertificateAuthority(const TempDir& dir, const std::string& name) {
    const CertificatePair pair = pairIn(dir, name);
    // openssl's default x509 extensions for `req -x509` make it a CA (basicConstraints CA:TRUE).
    openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
             "/CN=mailsift test CA " + name, "-keyout", pair.privateKey, "-out", pair.certificate});
    return pair;
}

CertificatePair makeSignedBy(const CertificatePair& ca, const TempDir& dir, const std::string& name,
                             const std::string& commonName, const std::string& subjectAltName) {
    const CertificatePair pair = pairIn(dir, name);
    const std::string request = dir.file(name + ".csr");
    openssl({"req", "-new", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName,
             "-addext", "subjectAltName=" + subjectAltName, "-keyout", pair.privateKey, "-out",
             request});
    std::random_device random;
    openssl({"x509", "-req", "-in", request, "-CA", ca.certificate, "-CAkey", ca.privateKey,
             "-set_serial", std::to_string(random() | 1u), "-days", "1", "-copy_extensions", "copy",
             "-out", pair.certificate});
    return pair;
}

}  // namespace mailsift::testing
