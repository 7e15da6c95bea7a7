#pragma once

#include "TestSupport.h"
#include "alerts/AlertLevel.h"
#include "domain/ProbeResult.h"

#include <QCryptographicHash>

namespace certdash::test {

// A probe result as the tracker sees it: a stored target, an address, a status and, for
// statuses that read a certificate, a limiting certificate whose fingerprint names it ("A",
// "B": a renewal is a change of name) and whose expiry matches daysLeft.
inline QString fingerprintFor(const QString &name) {
    const QByteArray hex =
        QCryptographicHash::hash(name.toUtf8(), QCryptographicHash::Sha256).toHex().toUpper();
    QStringList pairs;
    for (int i = 0; i < hex.size(); i += 2)
        pairs << QString::fromLatin1(hex.mid(i, 2));
    return pairs.join(QLatin1Char(':'));
}

inline ProbeResult probeResult(qint64 targetId, Status status,
                               const QString &cert = QStringLiteral("A"), int daysLeft = 20,
                               const QString &address = QStringLiteral("127.0.0.1")) {
    ProbeResult r;
    r.target.id = targetId;
    r.target.host = QStringLiteral("host%1.test").arg(targetId);
    r.target.port = 443;
    r.address = address;
    r.status = status;
    r.probedAt = pinnedNow();
    if (isProbeFailure(status)) {
        r.error = QStringLiteral("connection refused");
        return r;
    }
    CertificateInfo c;
    c.subjectCommonName = r.target.host;
    c.subject = QStringLiteral("CN=") + r.target.host;
    c.notBefore = pinnedNow().addDays(-60);
    c.notAfter = pinnedNow().addDays(daysLeft).addSecs(3600);
    c.sha256Fingerprint = fingerprintFor(cert);
    c.der = cert.toUtf8(); // a certificate is "present" for hasCertificate()
    r.chain << c;
    r.limiting = c;
    r.limitingRole = QStringLiteral("leaf");
    r.daysLeft = daysLeft;
    return r;
}

// A status whose alert level is `level` (the first one in Status order).
inline Status statusFor(AlertLevel level) {
    switch (level) {
    case AlertLevel::Ok:
        return Status::Ok;
    case AlertLevel::RotationOverdue:
        return Status::RotationOverdue;
    case AlertLevel::Warning:
        return Status::Warning;
    case AlertLevel::Critical:
        return Status::Critical;
    case AlertLevel::Expired:
        return Status::Expired;
    }
    return Status::Ok;
}

inline const QList<AlertLevel> &allLevels() {
    static const QList<AlertLevel> levels{AlertLevel::Ok, AlertLevel::RotationOverdue,
                                          AlertLevel::Warning, AlertLevel::Critical,
                                          AlertLevel::Expired};
    return levels;
}

} // namespace certdash::test
