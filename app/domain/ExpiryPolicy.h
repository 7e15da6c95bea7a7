#pragma once

#include "CertificateInfo.h"
#include "Status.h"
#include "Target.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace certdash {

// Thresholds as configured: global defaults, overridden per target.
struct ExpiryPolicy
{
    int warningDays = 30;
    int criticalDays = 7;
    std::optional<int> rotationDays; // expected rotation period; none = no rotation check

    // The target's own values where it has them, else this policy's.
    ExpiryPolicy forTarget(const Target &target) const;
};

// Thresholds after capping to the certificate's lifetime: warning at most 1/3 of it, critical at
// most 1/6, so that a 6-day certificate is not red from birth.
struct EffectiveThresholds
{
    qint64 warningSeconds = 0;
    qint64 criticalSeconds = 0;
    std::optional<qint64> rotationDueSeconds; // seconds left below which rotation is overdue
};
EffectiveThresholds effectiveThresholds(const ExpiryPolicy &policy, qint64 lifetimeSeconds);

// The certificate whose expiry breaks the endpoint first: earliest notAfter over the given path.
// Ties go to the certificate nearest the leaf; a certificate whose notAfter cannot be read comes
// before any date. Returns -1 for an empty path.
int limitingIndex(const QList<CertificateInfo> &path);

// "unreadable notAfter in CN=x: 000001010000Z": the one wording, for verification findings and
// for the reason of the status a certificate with an unreadable time gets.
QString unreadableTimeText(const QString &field, const QString &certificate, const QString &raw);
// Those sentences for every unreadable time on path, leaf first.
QStringList unreadableTimes(const QList<CertificateInfo> &path);

// Whole days from now until notAfter, rounded down; negative once expired.
int daysLeft(const QDateTime &notAfter, const QDateTime &now);

// The time status of an endpoint whose path clients use is `path` (leaf first).
// expired > not_yet_valid > critical > warning > rotation_overdue > ok. A time that cannot be read
// is judged as clients judge it, a rejection: an unreadable notAfter is `expired`, an unreadable
// notBefore at least `not_yet_valid`.
Status classify(const QList<CertificateInfo> &path, const ExpiryPolicy &policy, const QDateTime &now);

} // namespace certdash
