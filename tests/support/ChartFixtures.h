#pragma once

// Synthetic histories for the chart-data tests: certificates as validity windows relative to
// pinnedNow(), and the history rows a probe of them would have recorded.
#include "TestSupport.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "storage/HistoryRepository.h"

#include <QCryptographicHash>
#include <QList>

namespace certdash::test {

constexpr qint64 kDaySeconds = 86400;

inline QDateTime daysFromNow(double days) {
    return pinnedNow().addSecs(qint64(days * kDaySeconds));
}

// A leaf known by its validity window; the fingerprint is derived from its name.
inline CertificateInfo syntheticCert(const QString &name, const QDateTime &notBefore,
                                     double lifetimeDays) {
    CertificateInfo c;
    c.der = name.toUtf8(); // non-null marker; nothing decodes it
    c.subject = QStringLiteral("CN=") + name;
    c.subjectCommonName = name;
    c.notBefore = notBefore;
    c.notAfter = notBefore.addSecs(qint64(lifetimeDays * kDaySeconds));
    c.sha256Fingerprint = QString::fromLatin1(
        QCryptographicHash::hash(c.der, QCryptographicHash::Sha256).toHex(':').toUpper());
    return c;
}

// What HistoryRepository::history returns for a probe of `cert` at `at`.
inline HistoryPoint reading(const QDateTime &at, const CertificateInfo &cert,
                            const QString &address = QStringLiteral("127.0.0.1"),
                            const ExpiryPolicy &policy = {}) {
    HistoryPoint h;
    h.probedAt = at;
    h.address = address;
    h.status = classify({cert}, policy, at);
    h.daysLeft = daysLeft(cert.notAfter, at);
    h.earliestExpiry = cert.notAfter;
    h.leafNotBefore = cert.notBefore;
    h.leafNotAfter = cert.notAfter;
    h.leafSha256 = cert.sha256Fingerprint;
    return h;
}

inline HistoryPoint failure(const QDateTime &at, Status status,
                            const QString &address = QStringLiteral("127.0.0.1")) {
    HistoryPoint h;
    h.probedAt = at;
    h.address = address;
    h.status = status;
    h.error = QStringLiteral("connection timed out");
    return h;
}

// The latest result of an address serving `cert`, classified at `at`.
inline ProbeResult resultFor(const CertificateInfo &cert, const QDateTime &at,
                             const QString &address = QStringLiteral("127.0.0.1"),
                             const Target &target = {}, const ExpiryPolicy &policy = {}) {
    ProbeResult r;
    r.target = target;
    r.address = address;
    r.chain = {cert};
    r.probedAt = at;
    applyClassification(r, policy, at);
    return r;
}

inline ProbeResult failedResult(const QDateTime &at, Status status,
                                const QString &address = QStringLiteral("127.0.0.1")) {
    ProbeResult r;
    r.address = address;
    r.status = status;
    r.probedAt = at;
    return r;
}

} // namespace certdash::test
