#pragma once

// What the tests' certificate factories (CertFactory, RevocationFactory, ClientCerts) share of
// OpenSSL: the core's owning handles (probing/X509.h) with the few more that only tests make,
// how a factory gives up, and reading a PEM key back.
#include "probing/X509.h"

#include <QByteArray>
#include <QtGlobal>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace certdash::test {

using ossl::BioPtr;
using ossl::Free;
using ossl::X509Ptr;
using PKeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;

// Ends the run naming the factory, the step and OpenSSL's error: a factory that cannot make what
// a test asked for leaves that test nothing to check.
[[noreturn]] inline void opensslFailure(const char *factory, const char *what) {
    char buf[256] = {};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    qFatal("%s: %s failed: %s", factory, what, buf);
}

inline PKeyPtr readPrivateKey(const QByteArray &pem, const char *factory) {
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key)
        opensslFailure(factory, "PEM_read_bio_PrivateKey");
    return key;
}

} // namespace certdash::test
