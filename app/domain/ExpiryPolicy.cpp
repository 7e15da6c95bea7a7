#include "ExpiryPolicy.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace certdash {

namespace {
constexpr qint64 kDay = 86400;
}

ExpiryPolicy ExpiryPolicy::forTarget(const Target &target) const
{
    ExpiryPolicy p = *this;
    if (target.warningDays)
        p.warningDays = *target.warningDays;
    if (target.criticalDays)
        p.criticalDays = *target.criticalDays;
    if (target.rotationDays)
        p.rotationDays = target.rotationDays;
    return p;
}

EffectiveThresholds effectiveThresholds(const ExpiryPolicy &policy, qint64 lifetimeSeconds)
{
    EffectiveThresholds t;
    const qint64 lifetime = std::max<qint64>(lifetimeSeconds, 0);
    t.warningSeconds = std::min<qint64>(qint64(policy.warningDays) * kDay, lifetime / 3);
    t.criticalSeconds = std::min<qint64>(qint64(policy.criticalDays) * kDay, lifetime / 6);
    if (policy.rotationDays && *policy.rotationDays > 0)
        t.rotationDueSeconds = lifetime - qint64(*policy.rotationDays) * kDay;
    return t;
}

QString unreadableTimeText(const QString &field, const QString &certificate, const QString &raw)
{
    return QCoreApplication::translate("certdash::ChainVerifier", "unreadable %1 in %2: %3")
        .arg(field, certificate, raw.isEmpty() ? QStringLiteral("(empty)") : raw);
}

QStringList unreadableTimes(const QList<CertificateInfo> &path)
{
    QStringList reasons;
    for (const CertificateInfo &c : path) {
        const QString name = c.subjectCommonName.isEmpty()
                                 ? c.subject
                                 : QStringLiteral("CN=") + c.subjectCommonName;
        if (c.notBeforeUnreadable())
            reasons << unreadableTimeText(QStringLiteral("notBefore"), name, c.rawNotBefore);
        if (c.notAfterUnreadable())
            reasons << unreadableTimeText(QStringLiteral("notAfter"), name, c.rawNotAfter);
    }
    return reasons;
}

int limitingIndex(const QList<CertificateInfo> &path)
{
    int best = -1;
    for (int i = 0; i < path.size(); ++i) {
        const CertificateInfo &c = path.at(i);
        if (best >= 0 && path.at(best).notAfterUnreadable())
            break;
        if (best < 0 || c.notAfterUnreadable() || c.notAfter < path.at(best).notAfter)
            best = i;
    }
    return best;
}

int daysLeft(const QDateTime &notAfter, const QDateTime &now)
{
    const qint64 secs = now.secsTo(notAfter);
    return int(std::floor(double(secs) / double(kDay)));
}

Status classify(const QList<CertificateInfo> &path, const ExpiryPolicy &policy, const QDateTime &now)
{
    const int limiting = limitingIndex(path);
    if (limiting < 0)
        return Status::HandshakeFailed;
    const CertificateInfo &cert = path.at(limiting);
    if (cert.notAfterUnreadable() || now >= cert.notAfter)
        return Status::Expired;
    for (const CertificateInfo &c : path) {
        if (c.notBeforeUnreadable() || now < c.notBefore)
            return Status::NotYetValid;
    }
    const qint64 left = now.secsTo(cert.notAfter);
    const EffectiveThresholds t = effectiveThresholds(policy, cert.lifetimeSeconds());
    if (left < t.criticalSeconds)
        return Status::Critical;
    if (left < t.warningSeconds)
        return Status::Warning;
    if (t.rotationDueSeconds && left < *t.rotationDueSeconds)
        return Status::RotationOverdue;
    return Status::Ok;
}

} // namespace certdash
