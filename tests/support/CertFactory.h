#pragma once

#include "TestSupport.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

namespace certdash::test {

// Certificates made at test time with the OpenSSL C API, so that fixtures never expire and any
// validity window (already expired, not yet valid) can be expressed relative to pinnedNow().
//
//     const TestCert root = makeCert(CertSpec::root(u"Test Root"_s));
//     const TestCert ca = makeCert(CertSpec::intermediate(u"Issuing CA"_s), &root);
//     CertSpec leafSpec = CertSpec::leaf(u"leaf.test"_s);
//     leafSpec.notBefore = pinnedNow().addDays(-80);
//     leafSpec.notAfter = pinnedNow().addDays(10);
//     const TestCert leaf = makeCert(leafSpec, &ca);

enum class KeyType { Rsa, EcP256, EcP384, Ed25519 };
enum class Digest { Sha256, Sha384, Sha1, Md5 };

struct KeySpec {
    KeyType type = KeyType::EcP256;
    int rsaBits = 2048;

    static KeySpec rsa(int bits = 2048) { return {KeyType::Rsa, bits}; }
    static KeySpec ecP256() { return {KeyType::EcP256, 0}; }
    static KeySpec ecP384() { return {KeyType::EcP384, 0}; }
    static KeySpec ed25519() { return {KeyType::Ed25519, 0}; }
};

struct CertSpec {
    QString commonName;   // empty: no CN in the subject
    QString organization; // O, optional
    QString country;      // C, optional (two letters)

    // Null means the default window: one day before pinnedNow() to 90 days after it.
    QDateTime notBefore;
    QDateTime notAfter;
    // When set, the time field's content octets exactly as encoded, unchecked, replacing the
    // window above: how certificates with unreadable dates are made ("000001010000Z", "99"). A
    // 15-byte value is a GeneralizedTime, anything else a UTCTime.
    QByteArray rawNotBefore;
    QByteArray rawNotAfter;

    KeySpec key;
    // PEM of an existing private key to certify instead of generating one (renewals, cross-signs).
    QByteArray reuseKeyPem;
    // Ignored for Ed25519 issuers, which sign without a separate digest.
    Digest digest = Digest::Sha256;
    QByteArray serialHex; // empty: random 63-bit serial

    QStringList dnsNames;
    QStringList ipAddresses;
    QStringList emails;
    QStringList uris;

    bool basicConstraints = true;
    bool isCa = false;
    int pathLength = -1; // -1: unconstrained
    // OpenSSL config names ("digitalSignature", "keyCertSign", ...); empty picks the usual set
    // for the role, and addKeyUsage = false omits the extension.
    bool addKeyUsage = true;
    QStringList keyUsage;
    QStringList extendedKeyUsage; // "serverAuth", "clientAuth", ...
    bool keyIdentifiers = true;   // subjectKeyIdentifier, and authorityKeyIdentifier
    QString ocspUrl;
    QString caIssuersUrl;
    QString crlUrl;
    int fakeSctCount = 0; // embedded SCT list with this many well-formed but unsigned entries

    // Presets; tweak the returned value before makeCert().
    static CertSpec root(const QString &cn);
    static CertSpec intermediate(const QString &cn, int pathLength = 0);
    // A TLS server certificate with serverAuth and dnsName as CN and first DNS SAN.
    static CertSpec leaf(const QString &dnsName);

    // notBefore/notAfter as days relative to pinnedNow(): validDays(-80, 10) was issued 80 days
    // ago and expires in 10 days.
    CertSpec &validDays(double fromDays, double toDays);
};

struct TestCert {
    QByteArray der;
    QByteArray pem;
    QByteArray keyPem; // PKCS#8 private key
    KeyType keyType = KeyType::EcP256;
    QString commonName;

    bool isNull() const { return der.isEmpty(); }
    QSslCertificate certificate() const;
    // Ed25519 keys are handed to Qt as opaque OpenSSL keys (QSsl::Opaque), which QSslKey supports
    // for servers even though it cannot parse their PEM.
    QSslKey key() const;
};

// Signs with issuer's key and name; a null issuer makes the certificate self-signed.
// OpenSSL failures abort with qFatal: they mean a bug in the factory or the spec, not in CertDash.
TestCert makeCert(const CertSpec &spec, const TestCert *issuer = nullptr);

// Same subject and public key as ca, but issued by newIssuer: what a root that is cross-signed by
// an older root looks like (Let's Encrypt's ISRG Root X1 signed by DST Root CA X3).
TestCert crossSign(const TestCert &ca, const TestCert &newIssuer, const QDateTime &notBefore,
                   const QDateTime &notAfter, Digest digest = Digest::Sha256);

// A root, an intermediate and a leaf for dnsName, all valid around pinnedNow().
struct TestPki {
    TestCert root;
    TestCert intermediate;
    TestCert leaf;
    // What a correctly configured server sends: leaf and intermediate.
    QList<QByteArray> servedDer() const { return {leaf.der, intermediate.der}; }
    QList<QSslCertificate> servedChain() const {
        return {leaf.certificate(), intermediate.certificate()};
    }
};
TestPki makePki(const QString &dnsName, KeySpec key = KeySpec::ecP256());

QList<QByteArray> derList(const QList<TestCert> &certs);
QByteArray pemBundle(const QList<TestCert> &certs);
// Writes the certificates' PEM, in order, to path (for --ca-file and nginx fixtures).
bool writePemBundle(const QString &path, const QList<TestCert> &certs, QString *error = nullptr);

} // namespace certdash::test
