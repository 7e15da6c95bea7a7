#include "ClientCerts.h"

#include "OpenSslHandles.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace certdash::test {

namespace {
using Pkcs12Ptr = std::unique_ptr<PKCS12, Free<PKCS12_free>>;
void freeStack(STACK_OF(X509) * s) {
    sk_X509_pop_free(s, X509_free);
}
using StackPtr = std::unique_ptr<STACK_OF(X509), Free<freeStack>>;

[[noreturn]] void fail(const char *what) {
    opensslFailure("ClientCerts", what);
}

PKeyPtr readKey(const QByteArray &pem) {
    return readPrivateKey(pem, "ClientCerts");
}

X509Ptr readCert(const QByteArray &der) {
    const auto *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr cert(d2i_X509(nullptr, &p, long(der.size())));
    if (!cert)
        fail("d2i_X509");
    return cert;
}

QByteArray bioBytes(BIO *bio) {
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(n));
}
} // namespace

ClientPki makeClientPki(KeySpec key) {
    ClientPki pki;
    pki.clientRoot = makeCert(CertSpec::root(u"Client Test Root"_s).validDays(-30, 3000));
    pki.issuingCa = makeCert(CertSpec::intermediate(u"Client Issuing CA"_s).validDays(-20, 2000),
                             &pki.clientRoot);
    CertSpec client = CertSpec::leaf(u"monitor.client.test"_s);
    client.commonName = u"certdash-monitor"_s;
    client.dnsNames = {};
    client.extendedKeyUsage = {u"clientAuth"_s};
    client.key = key;
    // Around the real clock: a server checks it with its own time.
    client.notBefore = QDateTime::currentDateTimeUtc().addDays(-1);
    client.notAfter = QDateTime::currentDateTimeUtc().addDays(60);
    pki.client = makeCert(client, &pki.issuingCa);
    CertSpec rootSpec = CertSpec::root(u"Stranger Root"_s);
    rootSpec.notBefore = QDateTime::currentDateTimeUtc().addDays(-30);
    rootSpec.notAfter = QDateTime::currentDateTimeUtc().addDays(3000);
    pki.strangerRoot = makeCert(rootSpec);
    client.commonName = u"stranger"_s;
    pki.stranger = makeCert(client, &pki.strangerRoot);
    return pki;
}

QByteArray encryptedKeyPem(const QByteArray &keyPem, const QByteArray &passphrase,
                           bool traditional) {
    PKeyPtr key = readKey(keyPem);
    BioPtr out(BIO_new(BIO_s_mem()));
    auto *pass = reinterpret_cast<const unsigned char *>(passphrase.constData());
    const int ok =
        traditional
            ? PEM_write_bio_PrivateKey_traditional(out.get(), key.get(), EVP_aes_256_cbc(), pass,
                                                   int(passphrase.size()), nullptr, nullptr)
            : PEM_write_bio_PKCS8PrivateKey(out.get(), key.get(), EVP_aes_256_cbc(),
                                            passphrase.constData(), int(passphrase.size()), nullptr,
                                            nullptr);
    if (ok <= 0)
        fail("PEM_write_bio (encrypted key)");
    return bioBytes(out.get());
}

QByteArray pkcs12(const TestCert &cert, const QList<TestCert> &chain, const QByteArray &password) {
    PKeyPtr key = readKey(cert.keyPem);
    X509Ptr x509 = readCert(cert.der);
    StackPtr ca(sk_X509_new_null());
    for (const TestCert &c : chain)
        sk_X509_push(ca.get(), readCert(c.der).release());
    // An empty password: no encryption of the key bag's password and no MAC password, the way
    // `openssl pkcs12 -export -passout pass:` writes one.
    Pkcs12Ptr p12(PKCS12_create(password.isEmpty() ? nullptr : password.constData(), "client",
                                key.get(), x509.get(), ca.get(), 0, 0, 0, 0, 0));
    if (!p12)
        fail("PKCS12_create");
    BioPtr out(BIO_new(BIO_s_mem()));
    if (i2d_PKCS12_bio(out.get(), p12.get()) <= 0)
        fail("i2d_PKCS12_bio");
    return bioBytes(out.get());
}

} // namespace certdash::test
