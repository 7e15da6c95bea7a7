#include "ChainVerifier.h"

#include "TrustStore.h"
#include "X509.h"
#include "domain/ExpiryPolicy.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include <vector>

namespace certdash {

namespace {

using namespace ossl;

struct VerifierText
{
    Q_DECLARE_TR_FUNCTIONS(certdash::ChainVerifier)
};

QString isoUtc(const ASN1_TIME *time) {
    return toDateTime(time).toString(Qt::ISODate);
}

QString subjectOf(X509 *cert) {
    return displayName(X509_get_subject_name(cert));
}

QString issuerOf(X509 *cert) {
    return displayName(X509_get_issuer_name(cert));
}

// One finding in the making: its kind and its sentence.
struct Finding {
    FindingKind kind = FindingKind::Other;
    QString text;
};
using Findings = QList<Finding>;

// One error OpenSSL reported while the verify callback let verification carry on.
struct Recorded {
    int code = 0;
    int depth = 0;
    X509Ptr cert;
};

int recordingCallback(int ok, X509_STORE_CTX *ctx) {
    if (ok)
        return 1;
    auto *errors = static_cast<std::vector<Recorded> *>(X509_STORE_CTX_get_app_data(ctx));
    X509 *cert = X509_STORE_CTX_get_current_cert(ctx);
    if (cert)
        X509_up_ref(cert);
    errors->push_back(
        {X509_STORE_CTX_get_error(ctx), X509_STORE_CTX_get_error_depth(ctx), X509Ptr(cert)});
    // Carry on: a client would stop here, but the user wants every reason at once, and the
    // path to an anchor is still worth knowing when, say, the leaf has expired.
    return 1;
}

bool breaksPath(int code) {
    switch (code) {
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return true;
    default:
        return false;
    }
}

QString weakKeyFinding(X509 *cert) {
    EVP_PKEY *key = X509_get0_pubkey(cert);
    if (!key)
        return {};
    const int bits = EVP_PKEY_get_bits(key);
    const int type = EVP_PKEY_get_base_id(key);
    QString kind;
    if ((type == EVP_PKEY_RSA || type == EVP_PKEY_RSA_PSS) && bits < 2048)
        kind = QStringLiteral("RSA");
    else if (type == EVP_PKEY_DSA && bits < 2048)
        kind = QStringLiteral("DSA");
    else if (type == EVP_PKEY_EC && bits < 224)
        kind = QStringLiteral("EC");
    if (kind.isEmpty())
        return {};
    return VerifierText::tr("weak key: %1 has a %2-bit %3 key").arg(subjectOf(cert)).arg(bits).arg(kind);
}

QString weakSignatureFinding(X509 *cert) {
    int mdNid = NID_undef;
    if (X509_get_signature_info(cert, &mdNid, nullptr, nullptr, nullptr) != 1)
        return {};
    switch (mdNid) {
    case NID_md2:
    case NID_md4:
    case NID_md5:
    case NID_mdc2:
    case NID_sha1:
        break;
    default:
        return {};
    }
    return VerifierText::tr("weak signature: %1 is signed with %2")
        .arg(subjectOf(cert), QString::fromLatin1(OBJ_nid2ln(X509_get_signature_nid(cert))));
}

// Browsers stopped reading the Common Name in 2017 (Chrome 58, Firefox 48 for the last cases):
// a certificate whose only name for the host is its CN fails their name check. OpenSSL still
// falls back to the CN when there is no DNS subjectAltName, so the check is made with the
// fallback off, and this tells a CN-only match apart from a plain mismatch.
QString commonNameOnlyFinding(X509 *leaf, const QByteArray &asciiHost) {
    if (asciiHost.isEmpty())
        return {};
    const bool withFallback =
        X509_check_host(leaf, asciiHost.constData(), size_t(asciiHost.size()), 0, nullptr) == 1;
    const bool withoutFallback =
        X509_check_host(leaf, asciiHost.constData(), size_t(asciiHost.size()),
                        X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, nullptr) == 1;
    if (!withFallback || withoutFallback)
        return {};
    return VerifierText::tr("no subjectAltName: %1 matched only through the deprecated Common "
                            "Name fallback")
        .arg(subjectOf(leaf));
}

// A time field OpenSSL cannot parse (an invalid UTCTime) or that names a date no calendar has
// (year 0000): clients reject the certificate, CertDash says which field and quotes it.
QString unreadableTimeFinding(X509 *cert, const ASN1_TIME *time, const char *field) {
    if (toDateTime(time).isValid())
        return {};
    return unreadableTimeText(QString::fromLatin1(field), subjectOf(cert), rawTimeText(time));
}

QStringList unreadableTimeFindings(X509 *cert) {
    QStringList findings;
    for (const QString &f : {unreadableTimeFinding(cert, X509_get0_notBefore(cert), "notBefore"),
                             unreadableTimeFinding(cert, X509_get0_notAfter(cert), "notAfter")}) {
        if (!f.isEmpty())
            findings << f;
    }
    return findings;
}

// Servers must send each certificate right after the one it certifies (RFC 5246 7.4.2; TLS 1.3
// tolerates any order, but old Java and many embedded clients only walk the list as sent). path
// is the path OpenSSL built, leaf first; sentIndex(cert) where the server put it, -1 if it did not.
template<class SentIndex> QString outOfOrderFinding(STACK_OF(X509) * path, SentIndex sentIndex) {
    int previous = 0;
    X509 *previousCert = nullptr;
    for (int i = 0; path && i < sk_X509_num(path); ++i) {
        X509 *cert = sk_X509_value(path, i);
        const int index = sentIndex(cert);
        if (index < 0)
            continue; // from the trust store
        if (previousCert && index < previous)
            return VerifierText::tr("chain out of order: %1 is sent before %2, the certificate "
                                    "it issued")
                .arg(subjectOf(cert), subjectOf(previousCert));
        previous = index;
        previousCert = cert;
    }
    return {};
}

Finding findingFor(const Recorded &r, const QString &identity) {
    X509 *cert = r.cert.get();
    if (!cert)
        return {FindingKind::Other,
                VerifierText::tr("verification failed: %1")
                    .arg(QString::fromUtf8(X509_verify_cert_error_string(r.code)))};
    switch (r.code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return {FindingKind::ExpiredInChain,
                VerifierText::tr("expired: %1 expired %2")
                    .arg(subjectOf(cert), isoUtc(X509_get0_notAfter(cert)))};
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return {FindingKind::NotYetValidInChain,
                VerifierText::tr("not yet valid: %1 valid from %2")
                    .arg(subjectOf(cert), isoUtc(X509_get0_notBefore(cert)))};
    case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
    case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD: {
        const QStringList unreadable = unreadableTimeFindings(cert);
        if (!unreadable.isEmpty())
            return {FindingKind::UnreadableDate, unreadable.first()};
        break;
    }
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return {FindingKind::SelfSigned,
                VerifierText::tr("self-signed certificate: %1 is not a trusted anchor")
                    .arg(subjectOf(cert))};
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return {
            FindingKind::UntrustedRoot,
            VerifierText::tr("untrusted root: %1 is not a trusted anchor").arg(subjectOf(cert))};
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        // Servers should send every intermediate but not the root. A missing issuer of the leaf
        // is therefore most likely an intermediate the server forgot; a missing issuer higher up
        // is a root that the trust store does not have.
        if (r.depth == 0)
            return {FindingKind::IncompleteChain,
                    VerifierText::tr("incomplete chain: issuer of %1 (%2) was not sent")
                        .arg(subjectOf(cert), issuerOf(cert))};
        return {FindingKind::UntrustedRoot,
                VerifierText::tr("untrusted root: issuer of %1 (%2) is not a trusted anchor")
                    .arg(subjectOf(cert), issuerOf(cert))};
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return {
            FindingKind::HostnameMismatch,
            VerifierText::tr("hostname mismatch: certificate is not valid for %1").arg(identity)};
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL: {
        const QString weak = weakKeyFinding(cert);
        if (!weak.isEmpty())
            return {FindingKind::WeakKey, weak};
        break;
    }
    case X509_V_ERR_CA_MD_TOO_WEAK: {
        const QString weak = weakSignatureFinding(cert);
        if (!weak.isEmpty())
            return {FindingKind::WeakSignature, weak};
        break;
    }
    default:
        break;
    }
    return {FindingKind::Other,
            VerifierText::tr("%1: %2").arg(
                subjectOf(cert), QString::fromUtf8(X509_verify_cert_error_string(r.code)))};
}

bool setIdentity(X509_VERIFY_PARAM *param, const QString &identity, QByteArray *asciiHost) {
    QString name = identity.trimmed();
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        name = name.mid(1, name.size() - 2);
    if (name.isEmpty())
        return true;
    if (QHostAddress(name).protocol() != QAbstractSocket::UnknownNetworkLayerProtocol)
        return X509_VERIFY_PARAM_set1_ip_asc(param, name.toLatin1().constData()) == 1;
    QByteArray ascii = QUrl::toAce(name);
    if (ascii.isEmpty())
        ascii = name.toUtf8();
    *asciiHost = ascii;
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT);
    return X509_VERIFY_PARAM_set1_host(param, ascii.constData(), size_t(ascii.size())) == 1;
}

struct Presented {
    QByteArray der;
    X509Ptr cert;
    const CertificateInfo *info = nullptr; // decoded by the caller, when available
};

// Drops repeated sentences, keeping the first (and its kind).
void removeDuplicates(Findings &findings) {
    QStringList seen;
    Findings unique;
    for (const Finding &f : std::as_const(findings)) {
        if (seen.contains(f.text))
            continue;
        seen << f.text;
        unique << f;
    }
    findings = unique;
}

TrustReport verify(std::vector<Presented> &presented, Findings findings, const QString &identity,
                   const QDateTime &at, const TrustStore &anchors) {
    TrustReport report;
    auto finish = [&report](Findings list) {
        removeDuplicates(list);
        for (Finding &f : list) {
            // Findings are joined with "; " in reports.
            f.text.replace(QLatin1Char(';'), QLatin1Char(','));
            report.add(f.kind, f.text);
        }
        return report;
    };
    if (presented.empty() || !presented.front().cert) {
        if (findings.isEmpty())
            findings << Finding{FindingKind::Other, VerifierText::tr("no certificate presented")};
        return finish(findings);
    }

    X509StackPtr untrusted(sk_X509_new_null());
    for (size_t i = 1; i < presented.size(); ++i) {
        if (presented[i].cert && X509_up_ref(presented[i].cert.get()) == 1)
            sk_X509_push(untrusted.get(), presented[i].cert.get());
    }

    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    std::vector<Recorded> errors;
    if (!ctx || X509_STORE_CTX_init(ctx.get(), anchors.nativeHandle(), presented.front().cert.get(),
                                    untrusted.get()) != 1) {
        findings << Finding{FindingKind::Other,
                            VerifierText::tr("verification failed: %1").arg(lastError())};
        return finish(findings);
    }
    // Exactly what libssl sets up for a client verifying a server.
    X509_STORE_CTX_set_default(ctx.get(), "ssl_server");
    X509_STORE_CTX_set_app_data(ctx.get(), &errors);
    X509_STORE_CTX_set_verify_cb(ctx.get(), recordingCallback);
    X509_VERIFY_PARAM *param = X509_STORE_CTX_get0_param(ctx.get());
    if (at.isValid())
        X509_VERIFY_PARAM_set_time(param, time_t(at.toSecsSinceEpoch()));
    QByteArray asciiHost;
    if (!setIdentity(param, identity, &asciiHost))
        findings << Finding{
            FindingKind::HostnameMismatch,
            VerifierText::tr("hostname mismatch: %1 is not a valid host name or address")
                .arg(identity)};

    const int ok = X509_verify_cert(ctx.get());
    if (ok <= 0 && errors.empty())
        findings << Finding{FindingKind::Other,
                            VerifierText::tr("verification failed: %1")
                                .arg(QString::fromUtf8(X509_verify_cert_error_string(
                                    X509_STORE_CTX_get_error(ctx.get()))))};

    X509StackPtr chain(X509_STORE_CTX_get1_chain(ctx.get()));
    const int chainLength = chain ? sk_X509_num(chain.get()) : 0;
    // Certificates past num_untrusted came from the store: the path reached an anchor.
    const bool fromStore = chainLength > X509_STORE_CTX_get_num_untrusted(ctx.get());
    bool pathBroken = false;
    X509 *leaf = presented.front().cert.get();
    for (const Recorded &r : errors) {
        pathBroken = pathBroken || breaksPath(r.code);
        const QString commonNameOnly = r.code == X509_V_ERR_HOSTNAME_MISMATCH
                                           ? commonNameOnlyFinding(leaf, asciiHost)
                                           : QString();
        findings << (commonNameOnly.isEmpty()
                         ? findingFor(r, identity)
                         : Finding{FindingKind::NoSubjectAltName, commonNameOnly});
    }
    report.pathToAnchor = chainLength > 0 && fromStore && !pathBroken;

    // OpenSSL only rejects small keys and SHA-1/MD5 when a security level asks it to; clients
    // do, so these are checked on every certificate of the path regardless.
    for (int i = 0; i < chainLength; ++i) {
        X509 *cert = sk_X509_value(chain.get(), i);
        // OpenSSL reads a year 0000 without complaint; CertDash, like stricter clients, cannot.
        for (const QString &unreadable : unreadableTimeFindings(cert))
            findings << Finding{FindingKind::UnreadableDate, unreadable};
        const QString weakKey = weakKeyFinding(cert);
        if (!weakKey.isEmpty())
            findings << Finding{FindingKind::WeakKey, weakKey};
        // Nobody checks the signature of the anchor on itself.
        const bool anchorSelfSigned = i == chainLength - 1 && X509_self_signed(cert, 0) == 1;
        const QString weakSig = anchorSelfSigned ? QString() : weakSignatureFinding(cert);
        if (!weakSig.isEmpty())
            findings << Finding{FindingKind::WeakSignature, weakSig};
    }
    removeDuplicates(findings);
    const bool rejected = !findings.isEmpty();

    // Not a rejection (the chain stays trusted), but weak: current clients reorder what they are
    // sent, old Java and embedded ones fail on it.
    const QString disorder = outOfOrderFinding(chain.get(), [&presented](X509 *cert) {
        for (size_t j = 0; j < presented.size(); ++j) {
            if (presented[j].cert && X509_cmp(presented[j].cert.get(), cert) == 0)
                return int(j);
        }
        return -1;
    });
    if (!disorder.isEmpty())
        findings << Finding{FindingKind::ChainOutOfOrder, disorder};

    // The path as built, leaf first: the verified path when it reached an anchor, else as far
    // as the sent certificates go, whatever order they came in.
    std::vector<bool> onPath(presented.size(), false);
    QList<CertificateInfo> built;
    const int untrustedCount = X509_STORE_CTX_get_num_untrusted(ctx.get());
    for (int i = 0; i < chainLength; ++i) {
        X509 *cert = sk_X509_value(chain.get(), i);
        const Presented *sent = nullptr;
        for (size_t j = 0; j < presented.size(); ++j) {
            if (presented[j].cert && X509_cmp(presented[j].cert.get(), cert) == 0) {
                onPath[j] = true;
                sent = &presented[j];
            }
        }
        if (sent && sent->info)
            built << *sent->info;
        else if (i >= untrustedCount)
            built << anchors.anchorInfo(cert);
        else
            built << certificateInfo(cert, sent ? sent->der : QByteArray());
    }
    if (!report.pathToAnchor)
        report.builtPath = built;
    if (report.pathToAnchor) {
        report.verifiedPath = built;
        // Hygiene, not trust: clients ignore these, but an expired one (a stale cross-sign)
        // scares monitoring tools and old clients that do build through it.
        for (size_t j = 0; j < presented.size(); ++j) {
            X509 *cert = presented[j].cert.get();
            if (onPath[j] || !cert)
                continue;
            QString state;
            const QDateTime notAfter = toDateTime(X509_get0_notAfter(cert));
            const QDateTime notBefore = toDateTime(X509_get0_notBefore(cert));
            const QDateTime now = at.isValid() ? at : QDateTime::currentDateTimeUtc();
            if (notAfter.isValid() && notAfter < now)
                state = VerifierText::tr(" (expired %1)").arg(notAfter.toString(Qt::ISODate));
            else if (notBefore.isValid() && notBefore > now)
                state = VerifierText::tr(" (not valid before %1)").arg(notBefore.toString(Qt::ISODate));
            const QString issuedBy =
                X509_NAME_cmp(X509_get_subject_name(cert), X509_get_issuer_name(cert)) == 0
                    ? QString()
                    : VerifierText::tr(" issued by %1").arg(issuerOf(cert));
            findings << Finding{
                FindingKind::ExtraCertificate,
                VerifierText::tr("extra certificate not on the verified path: %1%2%3")
                    .arg(subjectOf(cert), issuedBy, state)};
        }
    }
    report.trusted = report.pathToAnchor && !rejected;
    ERR_clear_error();
    return finish(findings);
}

} // namespace

TrustReport verifyChain(const QList<QSslCertificate> &certs, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors,
                        const QList<CertificateInfo> &decoded) {
    std::vector<Presented> presented;
    Findings findings;
    const bool useDecoded = decoded.size() == certs.size();
    for (qsizetype i = 0; i < certs.size(); ++i) {
        QString error;
        X509Ptr cert = fromQt(certs.at(i), &error);
        if (!cert)
            findings << Finding{
                FindingKind::UnreadableCertificate,
                VerifierText::tr("unreadable certificate #%1 sent by the server: %2")
                    .arg(i + 1)
                    .arg(error)};
        presented.push_back({useDecoded ? decoded.at(i).der : QByteArray(), std::move(cert),
                             useDecoded ? &decoded.at(i) : nullptr});
    }
    return verify(presented, findings, identity, at, anchors);
}

TrustReport verifyChain(const std::vector<X509 *> &certs, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors,
                        const QList<CertificateInfo> &decoded) {
    std::vector<Presented> presented;
    const bool useDecoded = decoded.size() == qsizetype(certs.size());
    for (size_t i = 0; i < certs.size(); ++i) {
        X509_up_ref(certs[i]);
        presented.push_back({useDecoded ? decoded.at(i).der : QByteArray(), X509Ptr(certs[i]),
                             useDecoded ? &decoded.at(i) : nullptr});
    }
    return verify(presented, {}, identity, at, anchors);
}

TrustReport verifyChain(const QList<QByteArray> &presentedDer, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors) {
    std::vector<Presented> presented;
    Findings findings;
    for (qsizetype i = 0; i < presentedDer.size(); ++i) {
        QString error;
        X509Ptr cert = parseDer(presentedDer.at(i), &error);
        if (!cert)
            findings << Finding{
                FindingKind::UnreadableCertificate,
                VerifierText::tr("unreadable certificate #%1 sent by the server: %2")
                    .arg(i + 1)
                    .arg(error)};
        // The certificate as OpenSSL encodes it again, not the bytes given: libssl keeps no wire
        // bytes of what a server sent, so the prober reports (and fingerprints) the re-encoding;
        // a certificate in BER rather than DER must read the same through every entry.
        presented.push_back({QByteArray(), std::move(cert), nullptr});
    }
    return verify(presented, findings, identity, at, anchors);
}

TrustReport verifyChain(const QList<CertificateInfo> &presentedInfo, const QString &identity,
                        const QDateTime &at, const TrustStore &anchors) {
    std::vector<Presented> presented;
    Findings findings;
    for (qsizetype i = 0; i < presentedInfo.size(); ++i) {
        const CertificateInfo &info = presentedInfo.at(i);
        QString error;
        X509Ptr cert = parseDer(info.der, &error);
        if (!cert)
            findings << Finding{
                FindingKind::UnreadableCertificate,
                VerifierText::tr("unreadable certificate #%1 sent by the server: %2")
                    .arg(i + 1)
                    .arg(error)};
        presented.push_back({info.der, std::move(cert), &info});
    }
    return verify(presented, findings, identity, at, anchors);
}

} // namespace certdash
