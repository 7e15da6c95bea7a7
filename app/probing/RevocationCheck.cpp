#include "RevocationCheck.h"

#include "ProbeOptions.h"
#include "Revocation.h"

#include <QCoreApplication>
#include <QCryptographicHash>

#include <openssl/x509v3.h>

namespace certdash {

namespace {
struct CheckText {
    Q_DECLARE_TR_FUNCTIONS(certdash::Revocation)
};

// Only http: responders and CRLs are asked (ldap: distribution points are skipped, as browsers
// do; an https: one would need revocation checking to trust it).
QStringList httpUrls(const QStringList &urls) {
    QStringList out;
    for (const QString &url : urls) {
        if (QUrl(url).scheme() == QLatin1String("http"))
            out << url;
    }
    return out;
}
} // namespace

ossl::X509Ptr leafIssuer(X509 *leaf, const std::vector<X509 *> &presented,
                         const ProbeResult &result) {
    for (std::size_t i = 1; i < presented.size(); ++i) {
        if (X509_check_issued(presented[i], leaf) == X509_V_OK) {
            X509_up_ref(presented[i]);
            return ossl::X509Ptr(presented[i]);
        }
    }
    const QList<CertificateInfo> path = clientPath(result);
    if (path.size() > 1) {
        ossl::X509Ptr issuer = ossl::parseDer(path.at(1).der);
        if (issuer && X509_check_issued(issuer.get(), leaf) == X509_V_OK)
            return issuer;
    }
    return {};
}

void judgeStapledResponse(ProbeResult &result, const QByteArray &stapled, X509 *leaf, X509 *issuer,
                          const QDateTime &now) {
    if (stapled.isEmpty() || !leaf)
        return;
    RevocationStatus status;
    if (!issuer) {
        status.source = RevocationStatus::Source::Stapled;
        status.why = CheckText::tr("the stapled OCSP response cannot be verified: the "
                                   "certificate's issuer is not known");
    } else {
        status = RevocationJudge::ocspResponse(stapled, leaf, issuer, now,
                                               RevocationStatus::Source::Stapled);
        if (!status.checked())
            status.why = CheckText::tr("stapled response not verifiable: %1").arg(status.why);
    }
    addRevocationFinding(result.trust, status);
}

bool ProbeOptions::checksRevocation(const Target &target) const {
    return target.checkRevocation.value_or(checkRevocation);
}

bool needsOnlineRevocationCheck(const ProbeResult &result, const ProbeOptions &options) {
    return result.hasCertificate() && options.revocationCache &&
           options.checksRevocation(result.target) && !result.trust.revocation.checked();
}

OnlineRevocationCheck::OnlineRevocationCheck(const ProbeOptions &options, QObject *parent)
    : QObject(parent)
    , m_cache(options.revocationCache)
    , m_timeoutMs(options.revocationTimeoutMs) {}

void OnlineRevocationCheck::start(const CertificateInfo &leaf, const QByteArray &issuerDer,
                                  const QDateTime &now) {
    m_now = now;
    m_crlUrls = httpUrls(leaf.crlUrls);
    const QStringList ocspUrls = httpUrls(leaf.ocspUrls);
    RevocationStatus none;
    if (ocspUrls.isEmpty() && m_crlUrls.isEmpty()) {
        none.why = CheckText::tr("the certificate names no OCSP responder or CRL (over http)");
        finish(none);
        return;
    }
    m_leaf = ossl::parseDer(leaf.der);
    m_issuer = issuerDer.isEmpty() ? nullptr : ossl::parseDer(issuerDer);
    if (!m_leaf || !m_issuer) {
        none.why = CheckText::tr("the certificate's issuer is not known, so no answer about it "
                                 "can be verified");
        finish(none);
        return;
    }
    if (ocspUrls.isEmpty()) {
        askCrl(CheckText::tr("no OCSP responder"));
        return;
    }
    const QString url = ocspUrls.first();
    // Issuer and serial: what an OCSP answer is about (the issuer by its certificate's hash).
    const QString key =
        QStringLiteral("ocsp %1 %2 %3")
            .arg(QString::fromLatin1(
                     QCryptographicHash::hash(issuerDer, QCryptographicHash::Sha256).toHex()),
                 leaf.serial, url);
    const QByteArray request = RevocationJudge::ocspRequest(m_leaf.get(), m_issuer.get());
    m_cache->get(
        RevocationCache::Kind::Ocsp, key, QUrl(url), request, m_timeoutMs, this,
        [this, url](const RevocationCache::Answer &answer) {
            if (!answer.error.isEmpty()) {
                askCrl(CheckText::tr("OCSP responder %1 unreachable: %2").arg(url, answer.error));
                return;
            }
            RevocationStatus status = RevocationJudge::ocspResponse(
                answer.body, m_leaf.get(), m_issuer.get(), m_now, RevocationStatus::Source::Ocsp);
            status.url = url;
            if (status.checked()) {
                finish(status);
                return;
            }
            askCrl(CheckText::tr("OCSP responder %1: %2").arg(url, status.why));
        });
}

void OnlineRevocationCheck::askCrl(const QString &ocspWhy) {
    if (m_crlUrls.isEmpty()) {
        RevocationStatus status;
        status.source = RevocationStatus::Source::Ocsp;
        status.why = CheckText::tr("%1; no CRL").arg(ocspWhy);
        finish(status);
        return;
    }
    const QString url = m_crlUrls.first();
    m_cache->get(
        RevocationCache::Kind::Crl, QStringLiteral("crl ") + url, QUrl(url), {}, m_timeoutMs, this,
        [this, url, ocspWhy](const RevocationCache::Answer &answer) {
            RevocationStatus status;
            if (!answer.error.isEmpty() || !answer.crl) {
                status.source = RevocationStatus::Source::Crl;
                status.why =
                    CheckText::tr("%1; CRL %2 unreachable: %3").arg(ocspWhy, url, answer.error);
            } else {
                status =
                    RevocationJudge::crl(answer.crl.get(), m_leaf.get(), m_issuer.get(), m_now);
                if (!status.checked())
                    status.why = CheckText::tr("%1; CRL %2: %3").arg(ocspWhy, url, status.why);
            }
            status.url = url;
            finish(status);
        });
}

void OnlineRevocationCheck::finish(RevocationStatus status) {
    if (m_finished)
        return;
    m_finished = true;
    // Queued: done() is never emitted inside start().
    QMetaObject::invokeMethod(
        this, [this, status] { emit done(status); }, Qt::QueuedConnection);
}

} // namespace certdash
