#include "CertFactory.h"

#include "OpenSslHandles.h"

#include <QFile>
#include <QMutex>
#include <QSaveFile>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <map>
#include <memory>
#include <vector>

namespace certdash::test {

namespace {

using NamePtr = std::unique_ptr<X509_NAME, Free<X509_NAME_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Free<BN_free>>;
using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, Free<ASN1_OCTET_STRING_free>>;
struct GeneralNamesFree {
    void operator()(GENERAL_NAMES *p) const { GENERAL_NAMES_free(p); }
};
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, GeneralNamesFree>;

[[noreturn]] void fail(const char *what) {
    opensslFailure("CertFactory", what);
}

void check(int ok, const char *what) {
    if (ok <= 0)
        fail(what);
}

PKeyPtr generateKey(const KeySpec &spec) {
    EVP_PKEY *key = nullptr;
    switch (spec.type) {
    case KeyType::Rsa:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(spec.rsaBits));
        break;
    case KeyType::EcP256:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
        break;
    case KeyType::EcP384:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
        break;
    case KeyType::Ed25519:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    }
    if (!key)
        fail("key generation");
    return PKeyPtr(key);
}

// RSA key generation costs 50-500 ms, so RSA keys come from a small per-size pool. The pool has
// three keys used in turn so that a root, an intermediate and a leaf made one after the other do
// not share a key (shared keys would make signatures verify against the wrong issuer).
PKeyPtr newKey(const KeySpec &spec) {
    if (spec.type != KeyType::Rsa)
        return generateKey(spec);
    static QMutex mutex;
    static std::map<int, std::vector<PKeyPtr>> pools;
    static std::map<int, size_t> next;
    constexpr size_t kPoolSize = 3;
    QMutexLocker lock(&mutex);
    auto &pool = pools[spec.rsaBits];
    size_t &i = next[spec.rsaBits];
    if (pool.size() < kPoolSize)
        pool.push_back(generateKey(spec));
    EVP_PKEY *key = pool[i % pool.size()].get();
    ++i;
    check(EVP_PKEY_up_ref(key), "EVP_PKEY_up_ref");
    return PKeyPtr(key);
}

PKeyPtr readKey(const QByteArray &pem) {
    return readPrivateKey(pem, "CertFactory");
}

X509Ptr readCert(const QByteArray &der) {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(der.constData());
    X509Ptr cert(d2i_X509(nullptr, &p, long(der.size())));
    if (!cert)
        fail("d2i_X509");
    return cert;
}

KeyType keyTypeOf(EVP_PKEY *key) {
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        return KeyType::Rsa;
    case EVP_PKEY_ED25519:
        return KeyType::Ed25519;
    case EVP_PKEY_EC:
        return EVP_PKEY_get_bits(key) > 256 ? KeyType::EcP384 : KeyType::EcP256;
    default:
        qFatal("CertFactory: unsupported key type");
    }
}

const EVP_MD *digestFor(Digest digest, EVP_PKEY *signingKey) {
    // EdDSA signs the message itself; OpenSSL requires a null digest for it.
    if (EVP_PKEY_get_base_id(signingKey) == EVP_PKEY_ED25519)
        return nullptr;
    switch (digest) {
    case Digest::Sha256:
        return EVP_sha256();
    case Digest::Sha384:
        return EVP_sha384();
    case Digest::Sha1:
        return EVP_sha1();
    case Digest::Md5:
        return EVP_md5();
    }
    return EVP_sha256();
}

void addEntry(X509_NAME *name, const char *field, const QString &value) {
    if (value.isEmpty())
        return;
    const QByteArray utf8 = value.toUtf8();
    check(X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char *>(utf8.constData()),
                                     int(utf8.size()), -1, 0),
          "X509_NAME_add_entry_by_txt");
}

void addConfExtension(X509 *cert, X509V3_CTX *ctx, int nid, const QString &value) {
    const QByteArray v = value.toUtf8();
    ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, v.constData()));
    if (!ext)
        fail(OBJ_nid2sn(nid));
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext");
}

void addSubjectAltNames(X509 *cert, const CertSpec &spec) {
    GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
    auto add = [&](int type, const QStringList &values) {
        for (const QString &value : values) {
            const QByteArray v = value.toUtf8();
            GENERAL_NAME *gen = a2i_GENERAL_NAME(nullptr, nullptr, nullptr, type, v.constData(), 0);
            if (!gen)
                fail("a2i_GENERAL_NAME");
            sk_GENERAL_NAME_push(names.get(), gen);
        }
    };
    add(GEN_DNS, spec.dnsNames);
    add(GEN_IPADD, spec.ipAddresses);
    add(GEN_EMAIL, spec.emails);
    add(GEN_URI, spec.uris);
    if (sk_GENERAL_NAME_num(names.get()) > 0)
        check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT),
              "subjectAltName");
}

// A TLS-encoded SignedCertificateTimestampList (RFC 6962 3.3) of well-formed v1 entries with a
// dummy signature: enough for decoders that count SCTs, useless for anyone who checks them.
void addFakeScts(X509 *cert, int count) {
    QByteArray list;
    for (int i = 0; i < count; ++i) {
        QByteArray sct;
        sct.append(char(0));                                 // v1
        sct.append(QByteArray(32, char(0x40 + i)));          // log id
        sct.append(QByteArray::fromHex("0000018d00000000")); // timestamp
        sct.append(QByteArray::fromHex("0000"));             // no extensions
        sct.append(QByteArray::fromHex("0403"));             // sha256, ecdsa
        sct.append(QByteArray::fromHex("0008"));
        sct.append(QByteArray(8, char(0x55)));
        list.append(char(sct.size() >> 8)).append(char(sct.size() & 0xff)).append(sct);
    }
    const int listSize = int(list.size());
    list.prepend(char(listSize & 0xff));
    list.prepend(char(listSize >> 8));

    OctetPtr inner(ASN1_OCTET_STRING_new());
    check(ASN1_OCTET_STRING_set(inner.get(), reinterpret_cast<const unsigned char *>(list.data()),
                                int(list.size())),
          "ASN1_OCTET_STRING_set");
    unsigned char *der = nullptr;
    const int derLen = i2d_ASN1_OCTET_STRING(inner.get(), &der);
    check(derLen, "i2d_ASN1_OCTET_STRING");
    OctetPtr value(ASN1_OCTET_STRING_new());
    ASN1_OCTET_STRING_set(value.get(), der, derLen);
    OPENSSL_free(der);
    ExtPtr ext(X509_EXTENSION_create_by_NID(nullptr, NID_ct_precert_scts, 0, value.get()));
    if (!ext)
        fail("SCT extension");
    check(X509_add_ext(cert, ext.get(), -1), "X509_add_ext(SCT)");
}

void setSerial(X509 *cert, const QByteArray &serialHex) {
    BIGNUM *raw = nullptr;
    if (serialHex.isEmpty()) {
        raw = BN_new();
        check(BN_rand(raw, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY), "BN_rand");
    } else {
        check(BN_hex2bn(&raw, serialHex.constData()), "BN_hex2bn");
    }
    BnPtr bn(raw);
    check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr,
          "BN_to_ASN1_INTEGER");
}

// ASN1_TIME_set_string_X509 refuses malformed times, which is the point here: the octets go into
// the ASN1_STRING as they are, and i2d encodes them unchecked.
void setRawTime(X509 *cert, const QByteArray &raw, int (*set)(X509 *, const ASN1_TIME *)) {
    if (raw.isEmpty())
        return;
    using TimePtr = std::unique_ptr<ASN1_TIME, Free<ASN1_TIME_free>>;
    TimePtr time(ASN1_STRING_type_new(raw.size() == 15 ? V_ASN1_GENERALIZEDTIME : V_ASN1_UTCTIME));
    check(time != nullptr, "ASN1_STRING_type_new");
    check(ASN1_STRING_set(time.get(), raw.constData(), int(raw.size())), "ASN1_STRING_set");
    check(set(cert, time.get()), "X509_set1_notBefore/notAfter");
}

QByteArray toDer(X509 *cert) {
    unsigned char *buf = nullptr;
    const int len = i2d_X509(cert, &buf);
    check(len, "i2d_X509");
    QByteArray der(reinterpret_cast<const char *>(buf), len);
    OPENSSL_free(buf);
    return der;
}

QByteArray bioBytes(BIO *bio) {
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(len));
}

TestCert finish(X509 *cert, EVP_PKEY *key, const QString &cn) {
    TestCert out;
    out.der = toDer(cert);
    BioPtr certBio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_X509(certBio.get(), cert), "PEM_write_bio_X509");
    out.pem = bioBytes(certBio.get());
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    check(PEM_write_bio_PrivateKey(keyBio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
          "PEM_write_bio_PrivateKey");
    out.keyPem = bioBytes(keyBio.get());
    out.keyType = keyTypeOf(key);
    out.commonName = cn;
    return out;
}

// Builds and signs a certificate for subjectKey with the given subject name.
X509Ptr buildCert(const CertSpec &spec, X509_NAME *subject, EVP_PKEY *subjectKey, X509 *issuerCert,
                  EVP_PKEY *issuerKey) {
    X509Ptr cert(X509_new());
    check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
    setSerial(cert.get(), spec.serialHex);
    const QDateTime from = spec.notBefore.isValid() ? spec.notBefore : pinnedNow().addDays(-1);
    const QDateTime to = spec.notAfter.isValid() ? spec.notAfter : pinnedNow().addDays(90);
    check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), time_t(from.toSecsSinceEpoch())) !=
              nullptr,
          "notBefore");
    check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), time_t(to.toSecsSinceEpoch())) != nullptr,
          "notAfter");
    setRawTime(cert.get(), spec.rawNotBefore, X509_set1_notBefore);
    setRawTime(cert.get(), spec.rawNotAfter, X509_set1_notAfter);
    check(X509_set_subject_name(cert.get(), subject), "X509_set_subject_name");
    check(
        X509_set_issuer_name(cert.get(), issuerCert ? X509_get_subject_name(issuerCert) : subject),
        "X509_set_issuer_name");
    check(X509_set_pubkey(cert.get(), subjectKey), "X509_set_pubkey");

    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuerCert ? issuerCert : cert.get(), cert.get(), nullptr, nullptr, 0);
    check(X509V3_set_issuer_pkey(&ctx, issuerKey), "X509V3_set_issuer_pkey");

    if (spec.basicConstraints) {
        QString bc = spec.isCa ? QStringLiteral("critical,CA:TRUE") : QStringLiteral("CA:FALSE");
        if (spec.isCa && spec.pathLength >= 0)
            bc += QStringLiteral(",pathlen:%1").arg(spec.pathLength);
        addConfExtension(cert.get(), &ctx, NID_basic_constraints, bc);
    }
    if (spec.addKeyUsage) {
        QStringList usage = spec.keyUsage;
        if (usage.isEmpty()) {
            if (spec.isCa)
                usage = {QStringLiteral("digitalSignature"), QStringLiteral("keyCertSign"),
                         QStringLiteral("cRLSign")};
            else if (EVP_PKEY_get_base_id(subjectKey) == EVP_PKEY_RSA)
                usage = {QStringLiteral("digitalSignature"), QStringLiteral("keyEncipherment")};
            else
                usage = {QStringLiteral("digitalSignature")};
        }
        addConfExtension(cert.get(), &ctx, NID_key_usage,
                         QStringLiteral("critical,") + usage.join(QLatin1Char(',')));
    }
    if (!spec.extendedKeyUsage.isEmpty())
        addConfExtension(cert.get(), &ctx, NID_ext_key_usage,
                         spec.extendedKeyUsage.join(QLatin1Char(',')));
    if (spec.keyIdentifiers) {
        addConfExtension(cert.get(), &ctx, NID_subject_key_identifier, QStringLiteral("hash"));
        addConfExtension(cert.get(), &ctx, NID_authority_key_identifier,
                         QStringLiteral("keyid:always"));
    }
    addSubjectAltNames(cert.get(), spec);
    QStringList aia;
    if (!spec.ocspUrl.isEmpty())
        aia << QStringLiteral("OCSP;URI:") + spec.ocspUrl;
    if (!spec.caIssuersUrl.isEmpty())
        aia << QStringLiteral("caIssuers;URI:") + spec.caIssuersUrl;
    if (!aia.isEmpty())
        addConfExtension(cert.get(), &ctx, NID_info_access, aia.join(QLatin1Char(',')));
    if (!spec.crlUrl.isEmpty())
        addConfExtension(cert.get(), &ctx, NID_crl_distribution_points,
                         QStringLiteral("URI:") + spec.crlUrl);
    if (spec.fakeSctCount > 0)
        addFakeScts(cert.get(), spec.fakeSctCount);

    check(X509_sign(cert.get(), issuerKey, digestFor(spec.digest, issuerKey)), "X509_sign");
    return cert;
}

} // namespace

CertSpec CertSpec::root(const QString &cn) {
    CertSpec spec;
    spec.commonName = cn;
    spec.organization = QStringLiteral("CertDash Test");
    spec.isCa = true;
    spec.notBefore = pinnedNow().addDays(-365);
    spec.notAfter = pinnedNow().addDays(3650);
    return spec;
}

CertSpec CertSpec::intermediate(const QString &cn, int pathLength) {
    CertSpec spec = root(cn);
    spec.pathLength = pathLength;
    spec.notAfter = pinnedNow().addDays(1825);
    return spec;
}

CertSpec CertSpec::leaf(const QString &dnsName) {
    CertSpec spec;
    spec.commonName = dnsName;
    spec.dnsNames = {dnsName};
    spec.extendedKeyUsage = {QStringLiteral("serverAuth")};
    return spec;
}

CertSpec &CertSpec::validDays(double fromDays, double toDays) {
    notBefore = pinnedNow().addSecs(qint64(fromDays * 86400));
    notAfter = pinnedNow().addSecs(qint64(toDays * 86400));
    return *this;
}

QSslCertificate TestCert::certificate() const {
    return QSslCertificate(der, QSsl::Der);
}

QSslKey TestCert::key() const {
    switch (keyType) {
    case KeyType::Rsa:
        return QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
    case KeyType::EcP256:
    case KeyType::EcP384:
        return QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
    case KeyType::Ed25519:
        // QSslKey takes ownership of the handle.
        return QSslKey(Qt::HANDLE(readKey(keyPem).release()), QSsl::PrivateKey);
    }
    return {};
}

TestCert makeCert(const CertSpec &spec, const TestCert *issuer) {
    PKeyPtr key = spec.reuseKeyPem.isEmpty() ? newKey(spec.key) : readKey(spec.reuseKeyPem);
    NamePtr subject(X509_NAME_new());
    addEntry(subject.get(), "C", spec.country);
    addEntry(subject.get(), "O", spec.organization);
    addEntry(subject.get(), "CN", spec.commonName);

    X509Ptr issuerCert;
    PKeyPtr issuerKey;
    if (issuer) {
        issuerCert = readCert(issuer->der);
        issuerKey = readKey(issuer->keyPem);
    }
    X509Ptr cert = buildCert(spec, subject.get(), key.get(), issuerCert.get(),
                             issuer ? issuerKey.get() : key.get());
    return finish(cert.get(), key.get(), spec.commonName);
}

TestCert crossSign(const TestCert &ca, const TestCert &newIssuer, const QDateTime &notBefore,
                   const QDateTime &notAfter, Digest digest) {
    X509Ptr original = readCert(ca.der);
    PKeyPtr key = readKey(ca.keyPem);
    X509Ptr issuerCert = readCert(newIssuer.der);
    PKeyPtr issuerKey = readKey(newIssuer.keyPem);

    CertSpec spec;
    spec.notBefore = notBefore;
    spec.notAfter = notAfter;
    spec.digest = digest;
    spec.isCa = true;
    BASIC_CONSTRAINTS *bc = static_cast<BASIC_CONSTRAINTS *>(
        X509_get_ext_d2i(original.get(), NID_basic_constraints, nullptr, nullptr));
    if (bc) {
        spec.isCa = bc->ca != 0;
        spec.pathLength = bc->pathlen ? int(ASN1_INTEGER_get(bc->pathlen)) : -1;
        BASIC_CONSTRAINTS_free(bc);
    }
    X509Ptr cert = buildCert(spec, X509_get_subject_name(original.get()), key.get(),
                             issuerCert.get(), issuerKey.get());
    return finish(cert.get(), key.get(), ca.commonName);
}

TestPki makePki(const QString &dnsName, KeySpec key) {
    TestPki pki;
    CertSpec rootSpec = CertSpec::root(QStringLiteral("CertDash Test Root"));
    rootSpec.key = key;
    pki.root = makeCert(rootSpec);
    CertSpec caSpec = CertSpec::intermediate(QStringLiteral("CertDash Test Issuing CA"));
    caSpec.key = key;
    pki.intermediate = makeCert(caSpec, &pki.root);
    CertSpec leafSpec = CertSpec::leaf(dnsName);
    leafSpec.key = key;
    pki.leaf = makeCert(leafSpec, &pki.intermediate);
    return pki;
}

QList<QByteArray> derList(const QList<TestCert> &certs) {
    QList<QByteArray> out;
    for (const TestCert &c : certs)
        out << c.der;
    return out;
}

QByteArray pemBundle(const QList<TestCert> &certs) {
    QByteArray out;
    for (const TestCert &c : certs)
        out += c.pem;
    return out;
}

bool writePemBundle(const QString &path, const QList<TestCert> &certs, QString *error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(pemBundle(certs)) < 0 || !file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace certdash::test
