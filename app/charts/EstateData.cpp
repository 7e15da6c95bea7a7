#include "EstateData.h"

#include <QHash>

#include <algorithm>

namespace certdash {

namespace {

QDate mondayOf(const QDate &date) {
    return date.addDays(1 - date.dayOfWeek());
}

QDateTime localMidnight(const QDate &date, const QTimeZone &zone) {
    return QDateTime(date, QTime(0, 0), zone).toUTC();
}

// y = min(cap, x / divisor) from x = 0 to maxX: the threshold caps as a function of lifetime.
QList<QPointF> cappedLine(double cap, double divisor, double maxX) {
    const double knee = cap * divisor;
    if (knee <= 0)
        return {{0, 0}, {maxX, 0}};
    if (knee >= maxX)
        return {{0, 0}, {maxX, maxX / divisor}};
    return {{0, 0}, {knee, cap}, {maxX, cap}};
}
} // namespace

int certificateStatusIndex(Status status) {
    const auto it = std::find(kCertificateStatuses.begin(), kCertificateStatuses.end(), status);
    return it == kCertificateStatuses.end() ? -1 : int(it - kCertificateStatuses.begin());
}

int ExpiryBucket::count(Status status) const {
    const int index = certificateStatusIndex(status);
    return index < 0 ? 0 : int(members[size_t(index)].size());
}

int ExpiryBucket::total() const {
    int sum = 0;
    for (const QList<int> &m : members)
        sum += int(m.size());
    return sum;
}

ExpiryCalendar expiryCalendar(const QList<ProbeResult> &results, const QDateTime &now,
                              const QTimeZone &zone, int weeks) {
    ExpiryCalendar calendar;
    const QDate firstMonday = mondayOf(now.toTimeZone(zone).date());
    calendar.weeks.resize(std::max(weeks, 0));
    for (int i = 0; i < calendar.weeks.size(); ++i) {
        ExpiryBucket &b = calendar.weeks[i];
        b.week = firstMonday.addDays(7 * i);
        b.from = localMidnight(b.week, zone);
        b.to = localMidnight(b.week.addDays(7), zone);
    }
    calendar.expired.to = now;

    for (int i = 0; i < results.size(); ++i) {
        const ProbeResult &r = results.at(i);
        const int statusIndex = certificateStatusIndex(r.status);
        if (!r.limiting || statusIndex < 0) {
            ++calendar.withoutCertificate;
            continue;
        }
        const QDateTime &notAfter = r.limiting->notAfter;
        if (notAfter <= now) {
            calendar.expired.members[size_t(statusIndex)] << i;
            continue;
        }
        // By local date: a week is Monday 00:00 to Monday 00:00 on the wall clock, whatever
        // the number of hours in between.
        const qint64 week = firstMonday.daysTo(mondayOf(notAfter.toTimeZone(zone).date())) / 7;
        if (week >= calendar.weeks.size())
            ++calendar.later;
        else
            calendar.weeks[week].members[size_t(statusIndex)] << i;
    }
    return calendar;
}

RotationHealth rotationHealth(const QList<ProbeResult> &results,
                              const std::function<ExpiryPolicy(const Target &)> &policyOf,
                              const ExpiryPolicy &global) {
    RotationHealth health;
    QHash<quint64, int> spots[2]; // (lifetime, days left) -> index in inBand / underBand
    for (int i = 0; i < results.size(); ++i) {
        const ProbeResult &r = results.at(i);
        if (!r.limiting || !r.daysLeft)
            continue;
        const CertificateInfo &c = *r.limiting;
        const double lifetime = std::max(daysBetween(c.notBefore, c.notAfter), 0.0);
        const RotationBand band = rotationBand(policyOf(r.target), lifetime);
        // The verdict on the exact time left, as classify() does; the point on whole days.
        const QDateTime at = r.probedAt.isValid() ? r.probedAt : c.notBefore;
        const bool under = !band.contains(daysBetween(at, c.notAfter));
        const int lifetimeDays = qRound(lifetime);
        const quint64 key = (quint64(quint32(lifetimeDays)) << 32) | quint32(*r.daysLeft);
        QList<HealthPoint> &list = under ? health.underBand : health.inBand;
        const auto it = spots[under].constFind(key);
        if (it == spots[under].constEnd()) {
            spots[under].insert(key, int(list.size()));
            list << HealthPoint{lifetimeDays, *r.daysLeft, under, {i}};
        } else {
            list[*it].members << i;
        }
        health.maxLifetimeDays = std::max(health.maxLifetimeDays, lifetimeDays);
    }

    const double maxX = std::max(health.maxLifetimeDays, 1);
    const RotationBand band = rotationBand(global, maxX);
    health.bandIsDefault = band.isDefault;
    health.bandUpper = {{0, 0}, {maxX, maxX}};
    if (band.isDefault)
        health.bandLower = {{0, 0}, {maxX, band.lowerDays}};
    else if (band.rotationDays < maxX)
        health.bandLower = {{0, 0}, {band.rotationDays, 0}, {maxX, band.lowerDays}};
    else
        health.bandLower = {{0, 0}, {maxX, 0}};
    health.warning = cappedLine(global.warningDays, 3, maxX);
    health.critical = cappedLine(global.criticalDays, 6, maxX);
    return health;
}

} // namespace certdash
