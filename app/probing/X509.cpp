#include "X509.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QSslSocket>
#include <QtEndian>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ct.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace certdash {

namespace ossl {

void freeX509Stack(STACK_OF(X509) * stack) {
    sk_X509_pop_free(stack, X509_free);
}

QString lastError() {
    QStringList reasons;
    while (const unsigned long code = ERR_get_error()) {
        char buf[256] = {};
        ERR_error_string_n(code, buf, sizeof buf);
        const char *reason = ERR_reason_error_string(code);
        reasons << QString::fromUtf8(reason ? reason : buf);
    }
    reasons.removeDuplicates();
    return reasons.join(QStringLiteral(", "));
}

X509Ptr parseDer(const QByteArray &der, QString *error) {
    auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return X509Ptr();
    };
    if (der.isEmpty())
        return fail(QCoreApplication::translate("certdash::X509", "empty certificate data"));
    const auto *begin = reinterpret_cast<const unsigned char *>(der.constData());
    const unsigned char *p = begin;
    X509Ptr cert(d2i_X509(nullptr, &p, long(der.size())));
    if (!cert) {
        const QString reason = lastError();
        return fail(QCoreApplication::translate("certdash::X509",
                                                "not a DER-encoded X.509 certificate (%1)")
                        .arg(reason.isEmpty() ? QStringLiteral("?") : reason));
    }
    if (p != begin + der.size())
        return fail(QCoreApplication::translate("certdash::X509",
                                                "%n unexpected byte(s) after the DER certificate",
                                                nullptr, int(der.size() - (p - begin))));
    return cert;
}

X509Ptr fromQt(const QSslCertificate &cert, QString *error) {
    static const bool qtUsesOpenSsl = QSslSocket::activeBackend() == QLatin1String("openssl");
    if (qtUsesOpenSsl && !cert.isNull()) {
        if (auto *x509 = static_cast<X509 *>(cert.handle()); x509 && X509_up_ref(x509) == 1)
            return X509Ptr(x509);
    }
    return parseDer(cert.toDer(), error);
}

QByteArray toDer(X509 *cert) {
    unsigned char *buf = nullptr;
    const int len = i2d_X509(cert, &buf);
    if (len <= 0)
        return {};
    QByteArray der(reinterpret_cast<const char *>(buf), len);
    OPENSSL_free(buf);
    return der;
}

} // namespace ossl

namespace {

using namespace ossl;

template<class T, auto Fn> using Owned = std::unique_ptr<T, Free<Fn>>;

QString bioText(BIO *bio) {
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QString::fromUtf8(data, qsizetype(len));
}

QString hexColon(const unsigned char *data, int len) {
    return QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char *>(data), len).toHex(':').toUpper());
}

// SHA-256 fetched once: EVP_sha256() in OpenSSL 3.0 fetches the provider's implementation again
// (a locked name lookup) on every digest it is used for.
const EVP_MD *sha256Md() {
    static const std::unique_ptr<EVP_MD, Free<EVP_MD_free>> md(EVP_MD_fetch(nullptr, "SHA256", nullptr));
    return md.get();
}

QString digestHex(const QByteArray &der, const EVP_MD *md) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!md || EVP_Digest(der.constData(), size_t(der.size()), out, &len, md, nullptr) != 1)
        return {};
    return hexColon(out, int(len));
}

// Upper-case colon-separated hex, like the rest of the report. OpenSSL's assembly digests rather
// than QCryptographicHash's portable C: about half of certificateInfo()'s time went to these.
QString sha256Fingerprint(const QByteArray &der) {
    return digestHex(der, sha256Md());
}

// OpenSSL computes the SHA-1 of i2d(cert) when it caches the extensions (X509_check_purpose);
// X509_digest() hands back that copy instead of hashing again. Only when der is i2d(cert): bytes
// given by the caller may encode the same certificate differently (BER lengths), and the
// fingerprint is of the bytes as given.
QString sha1Fingerprint(X509 *cert, const QByteArray &der, bool derIsReencoded) {
    if (derIsReencoded) {
        unsigned char out[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        X509_check_purpose(cert, -1, 0);
        if (X509_digest(cert, EVP_sha1(), out, &len) == 1)
            return hexColon(out, int(len));
        ERR_clear_error();
    }
    static const std::unique_ptr<EVP_MD, Free<EVP_MD_free>> sha1(EVP_MD_fetch(nullptr, "SHA1", nullptr));
    return digestHex(der, sha1.get());
}

QString asn1Utf8(const ASN1_STRING *s) {
    unsigned char *out = nullptr;
    const int len = ASN1_STRING_to_UTF8(&out, s);
    if (len < 0)
        return {};
    QString text = QString::fromUtf8(reinterpret_cast<const char *>(out), len);
    OPENSSL_free(out);
    return text;
}

QString printText(X509 *cert) {
    constexpr unsigned long nameFlags = XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB;
    ossl::BioPtr text(BIO_new(BIO_s_mem()));
    return X509_print_ex(text.get(), cert, nameFlags, 0) == 1 ? bioText(text.get()) : QString();
}

// "CN=leaf.test, O=Acme, C=DE": RFC 2253 order (most specific first) with ", " between RDNs,
// and UTF-8 kept as is rather than escaped as \C3\BC.
QString nameLine(const X509_NAME *name) {
    constexpr unsigned long flags =
        ((XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) & ~XN_FLAG_SEP_MASK) | XN_FLAG_SEP_CPLUS_SPC;
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (X509_NAME_print_ex(bio.get(), name, 0, flags) < 0)
        return {};
    return bioText(bio.get());
}

QString commonName(const X509_NAME *name) {
    // The last CN is the most specific one when a name (rarely) carries several.
    int index = -1;
    for (int i = X509_NAME_get_index_by_NID(name, NID_commonName, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(name, NID_commonName, i))
        index = i;
    if (index < 0)
        return {};
    return asn1Utf8(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
}

// Null when OpenSSL cannot parse the time, and for a year 0000, which OpenSSL accepts but the
// Gregorian calendar (and QDate) does not have.
QDateTime asn1Time(const ASN1_TIME *t) {
    struct tm tm = {};
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1) {
        ERR_clear_error();
        return {};
    }
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QString excerpt(const QByteArray &bytes) {
    constexpr int kMax = 32;
    QString text;
    for (qsizetype i = 0; i < bytes.size() && i < kMax; ++i) {
        const uchar c = uchar(bytes.at(i));
        if (c >= 0x20 && c < 0x7f && c != '\\')
            text += QLatin1Char(char(c));
        else
            text += QStringLiteral("\\x%1").arg(uint(c), 2, 16, QLatin1Char('0'));
    }
    if (bytes.size() > kMax)
        text += QStringLiteral("...");
    return text;
}

QString serialHex(X509 *cert) {
    Owned<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    if (!bn)
        return {};
    char *hex = BN_bn2hex(bn.get());
    QString s = QString::fromLatin1(hex).toUpper();
    OPENSSL_free(hex);
    return s;
}

QString generalName(const GENERAL_NAME *gen) {
    switch (gen->type) {
    case GEN_DNS:
        return QStringLiteral("DNS:") + asn1Utf8(gen->d.dNSName);
    case GEN_EMAIL:
        return QStringLiteral("email:") + asn1Utf8(gen->d.rfc822Name);
    case GEN_URI:
        return QStringLiteral("URI:") + asn1Utf8(gen->d.uniformResourceIdentifier);
    case GEN_IPADD: {
        const ASN1_OCTET_STRING *ip = gen->d.iPAddress;
        const int len = ASN1_STRING_length(ip);
        const unsigned char *data = ASN1_STRING_get0_data(ip);
        QHostAddress address;
        if (len == 4)
            address.setAddress(qFromBigEndian<quint32>(data));
        else if (len == 16)
            address.setAddress(data);
        if (address.isNull())
            return QStringLiteral("IP:<invalid>");
        return QStringLiteral("IP:") + address.toString();
    }
    case GEN_DIRNAME:
        return QStringLiteral("DirName:") + nameLine(gen->d.directoryName);
    default:
        return {};
    }
}

void fillSubjectAltNames(X509 *cert, CertificateInfo &info) {
    Owned<GENERAL_NAMES, GENERAL_NAMES_free> names(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const QString name = generalName(sk_GENERAL_NAME_value(names.get(), i));
        if (!name.isEmpty())
            info.subjectAltNames << name;
    }
}

void fillKey(X509 *cert, CertificateInfo &info) {
    EVP_PKEY *key = X509_get0_pubkey(cert);
    if (!key)
        return;
    info.keyBits = EVP_PKEY_get_bits(key);
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        info.keyType = QStringLiteral("RSA");
        break;
    case EVP_PKEY_RSA_PSS:
        info.keyType = QStringLiteral("RSA-PSS");
        break;
    case EVP_PKEY_DSA:
        info.keyType = QStringLiteral("DSA");
        break;
    case EVP_PKEY_EC: {
        info.keyType = QStringLiteral("EC");
        char group[80] = {};
        size_t len = 0;
        if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                           &len))
            info.curve = QString::fromUtf8(group, qsizetype(len));
        break;
    }
    // OpenSSL reports 253 and 456 "bits" for EdDSA (the group order's size); the key size users
    // know them by is 256 and 456.
    case EVP_PKEY_ED25519:
        info.keyType = QStringLiteral("Ed25519");
        info.keyBits = 256;
        break;
    case EVP_PKEY_ED448:
        info.keyType = QStringLiteral("Ed448");
        info.keyBits = 456;
        break;
    default: {
        const char *name = EVP_PKEY_get0_type_name(key);
        info.keyType = QString::fromUtf8(name ? name : "unknown");
        break;
    }
    }
}

void fillKeyUsage(X509 *cert, CertificateInfo &info) {
    const uint32_t usage = X509_get_key_usage(cert);
    if (usage == UINT32_MAX)
        return; // no extension
    static const struct {
        uint32_t bit;
        const char *name;
    } kNames[] = {
        {KU_DIGITAL_SIGNATURE, "Digital Signature"},
        {KU_NON_REPUDIATION, "Non Repudiation"},
        {KU_KEY_ENCIPHERMENT, "Key Encipherment"},
        {KU_DATA_ENCIPHERMENT, "Data Encipherment"},
        {KU_KEY_AGREEMENT, "Key Agreement"},
        {KU_KEY_CERT_SIGN, "Certificate Sign"},
        {KU_CRL_SIGN, "CRL Sign"},
        {KU_ENCIPHER_ONLY, "Encipher Only"},
        {KU_DECIPHER_ONLY, "Decipher Only"},
    };
    for (const auto &n : kNames)
        if (usage & n.bit)
            info.keyUsage << QString::fromLatin1(n.name);
}

QString objectName(const ASN1_OBJECT *obj) {
    const int nid = OBJ_obj2nid(obj);
    if (nid != NID_undef)
        return QString::fromLatin1(OBJ_nid2ln(nid));
    char buf[128] = {};
    OBJ_obj2txt(buf, sizeof buf, obj, 1);
    return QString::fromLatin1(buf);
}

void freeObjects(EXTENDED_KEY_USAGE *eku) {
    sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
}

void fillExtendedKeyUsage(X509 *cert, CertificateInfo &info) {
    Owned<EXTENDED_KEY_USAGE, freeObjects> eku(static_cast<EXTENDED_KEY_USAGE *>(
        X509_get_ext_d2i(cert, NID_ext_key_usage, nullptr, nullptr)));
    for (int i = 0; eku && i < sk_ASN1_OBJECT_num(eku.get()); ++i)
        info.extendedKeyUsage << objectName(sk_ASN1_OBJECT_value(eku.get(), i));
}

void fillInfoAccess(X509 *cert, CertificateInfo &info) {
    Owned<AUTHORITY_INFO_ACCESS, AUTHORITY_INFO_ACCESS_free> aia(
        static_cast<AUTHORITY_INFO_ACCESS *>(
            X509_get_ext_d2i(cert, NID_info_access, nullptr, nullptr)));
    for (int i = 0; aia && i < sk_ACCESS_DESCRIPTION_num(aia.get()); ++i) {
        const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia.get(), i);
        if (ad->location->type != GEN_URI)
            continue;
        const QString url = asn1Utf8(ad->location->d.uniformResourceIdentifier);
        const int method = OBJ_obj2nid(ad->method);
        if (method == NID_ad_OCSP)
            info.ocspUrls << url;
        else if (method == NID_ad_ca_issuers)
            info.caIssuersUrls << url;
    }
}

void fillCrlPoints(X509 *cert, CertificateInfo &info) {
    Owned<CRL_DIST_POINTS, CRL_DIST_POINTS_free> points(static_cast<CRL_DIST_POINTS *>(
        X509_get_ext_d2i(cert, NID_crl_distribution_points, nullptr, nullptr)));
    for (int i = 0; points && i < sk_DIST_POINT_num(points.get()); ++i) {
        const DIST_POINT *dp = sk_DIST_POINT_value(points.get(), i);
        if (!dp->distpoint || dp->distpoint->type != 0)
            continue; // only fullName carries URLs
        const GENERAL_NAMES *names = dp->distpoint->name.fullname;
        for (int j = 0; j < sk_GENERAL_NAME_num(names); ++j) {
            const GENERAL_NAME *gen = sk_GENERAL_NAME_value(names, j);
            if (gen->type == GEN_URI)
                info.crlUrls << asn1Utf8(gen->d.uniformResourceIdentifier);
        }
    }
}

int sctCount(X509 *cert) {
    int crit = 0;
    STACK_OF(SCT) *scts =
        static_cast<STACK_OF(SCT) *>(X509_get_ext_d2i(cert, NID_ct_precert_scts, &crit, nullptr));
    if (!scts) {
        ERR_clear_error(); // an undecodable list counts as none
        return 0;
    }
    const int n = sk_SCT_num(scts);
    SCT_LIST_free(scts);
    return n;
}

} // namespace

QString ossl::displayName(const X509_NAME *name) {
    const QString cn = commonName(name);
    return cn.isEmpty() ? nameLine(name) : QStringLiteral("CN=") + cn;
}

QDateTime ossl::toDateTime(const ASN1_TIME *time) {
    return asn1Time(time);
}

QString ossl::rawTimeText(const ASN1_TIME *time) {
    if (!time)
        return QStringLiteral("(absent)");
    return excerpt(QByteArray::fromRawData(
        reinterpret_cast<const char *>(ASN1_STRING_get0_data(time)), ASN1_STRING_length(time)));
}

CertificateInfo ossl::certificateInfo(X509 *cert, const QByteArray &knownDer,
                                      CertificateText withText) {
    CertificateInfo info;
    info.der = knownDer.isEmpty() ? toDer(cert) : knownDer;

    const X509_NAME *subject = X509_get_subject_name(cert);
    const X509_NAME *issuer = X509_get_issuer_name(cert);
    info.subject = nameLine(subject);
    info.issuer = nameLine(issuer);
    info.subjectCommonName = commonName(subject);
    info.issuerCommonName = commonName(issuer);
    info.serial = serialHex(cert);
    info.notBefore = asn1Time(X509_get0_notBefore(cert));
    info.notAfter = asn1Time(X509_get0_notAfter(cert));
    if (!info.notBefore.isValid())
        info.rawNotBefore = rawTimeText(X509_get0_notBefore(cert));
    if (!info.notAfter.isValid())
        info.rawNotAfter = rawTimeText(X509_get0_notAfter(cert));

    fillSubjectAltNames(cert, info);
    fillKey(cert, info);
    info.signatureAlgorithm = QString::fromLatin1(OBJ_nid2ln(X509_get_signature_nid(cert)));
    info.sha256Fingerprint = sha256Fingerprint(info.der);
    info.sha1Fingerprint = sha1Fingerprint(cert, info.der, knownDer.isEmpty());
    if (const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cert))
        info.subjectKeyId = hexColon(ASN1_STRING_get0_data(ski), ASN1_STRING_length(ski));
    if (const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(cert))
        info.authorityKeyId = hexColon(ASN1_STRING_get0_data(aki), ASN1_STRING_length(aki));

    Owned<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free> bc(static_cast<BASIC_CONSTRAINTS *>(
        X509_get_ext_d2i(cert, NID_basic_constraints, nullptr, nullptr)));
    if (bc) {
        info.isCa = bc->ca != 0;
        info.pathLength = (info.isCa && bc->pathlen) ? int(ASN1_INTEGER_get(bc->pathlen)) : -1;
    }
    fillKeyUsage(cert, info);
    fillExtendedKeyUsage(cert, info);
    fillInfoAccess(cert, info);
    fillCrlPoints(cert, info);
    info.sctCount = sctCount(cert);

    info.selfIssued = X509_NAME_cmp(subject, issuer) == 0;
    info.selfSigned = info.selfIssued && X509_self_signed(cert, 1) == 1;

    if (withText == CertificateText::Include)
        info.text = printText(cert);
    BioPtr pem(BIO_new(BIO_s_mem()));
    if (PEM_write_bio_X509(pem.get(), cert) == 1)
        info.pem = bioText(pem.get());

    ERR_clear_error(); // lookups of absent extensions leave nothing worth reporting
    return info;
}

QString certificateText(const QByteArray &der) {
    X509Ptr cert = parseDer(der);
    return cert ? printText(cert.get()) : QString();
}

QString certificateText(const CertificateInfo &info) {
    return info.text.isEmpty() && !info.der.isEmpty() ? certificateText(info.der) : info.text;
}

std::optional<CertificateInfo> decodeCertificate(const QByteArray &der, QString *error) {
    X509Ptr cert = parseDer(der, error);
    if (!cert)
        return std::nullopt;
    return certificateInfo(cert.get(), der);
}

} // namespace certdash

namespace certdash {

std::optional<CertificateInfo> decodeCertificate(const QSslCertificate &cert, QString *error,
                                                 CertificateText text) {
    ossl::X509Ptr x509 = ossl::fromQt(cert, error);
    if (!x509)
        return std::nullopt;
    return ossl::certificateInfo(x509.get(), {}, text);
}

} // namespace certdash
