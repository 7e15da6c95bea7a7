#pragma once

#include "RevocationCache.h"
#include "X509.h"
#include "domain/ProbeResult.h"

#include <QObject>

#include <vector>

namespace certdash {

struct ProbeOptions;

// The leaf's issuer as a handle: the presented certificate that issued it, else the next one on
// the path clients use (an anchor from the store). Null when none is known (self-signed leaf,
// incomplete chain).
ossl::X509Ptr leafIssuer(X509 *leaf, const std::vector<X509 *> &presented,
                         const ProbeResult &result);

// Judges the OCSP response the server stapled (stapled empty: nothing is recorded) and adds its
// finding to result.trust. Run before applyClassification.
void judgeStapledResponse(ProbeResult &result, const QByteArray &stapled, X509 *leaf, X509 *issuer,
                          const QDateTime &now);

// Whether a probe of result's target asks the responder or CRL (ProbeOptions::checksRevocation)
// and still needs to: no current answer was stapled.
bool needsOnlineRevocationCheck(const ProbeResult &result, const ProbeOptions &options);

// The optional online check of one probe: the leaf's OCSP responder (HTTP POST) first, its CRL
// when there is no responder or it gives no usable answer; through the scan's RevocationCache,
// each request bounded by ProbeOptions::revocationTimeoutMs. Runs in the probe's thread, never
// blocks it; emits done() once.
class OnlineRevocationCheck : public QObject {
    Q_OBJECT
public:
    OnlineRevocationCheck(const ProbeOptions &options, QObject *parent = nullptr);
    // leaf and issuer: DER of the leaf and of its issuer ("" when unknown).
    void start(const CertificateInfo &leaf, const QByteArray &issuerDer, const QDateTime &now);

signals:
    void done(const certdash::RevocationStatus &status);

private:
    void askCrl(const QString &ocspWhy);
    void finish(RevocationStatus status);

    std::shared_ptr<RevocationCache> m_cache;
    int m_timeoutMs;
    ossl::X509Ptr m_leaf;
    ossl::X509Ptr m_issuer;
    QStringList m_crlUrls;
    QDateTime m_now;
    bool m_finished = false;
};

} // namespace certdash
