#include "TimelineData.h"

#include <algorithm>

namespace certdash {

namespace {
constexpr double kDay = 86400.0;

QDateTime earliest(const QDateTime &a, const QDateTime &b) {
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return std::min(a, b);
}

QDateTime latestOf(const QDateTime &a, const QDateTime &b) {
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return std::max(a, b);
}
} // namespace

double daysBetween(const QDateTime &from, const QDateTime &to) {
    return double(from.msecsTo(to)) / (kDay * 1000.0);
}

RotationBand rotationBand(const ExpiryPolicy &policy, double lifetimeDays) {
    RotationBand band;
    band.upperDays = std::max(lifetimeDays, 0.0);
    if (policy.rotationDays && *policy.rotationDays > 0) {
        band.isDefault = false;
        band.rotationDays = *policy.rotationDays;
    } else {
        band.rotationDays = band.upperDays * 2.0 / 3.0;
    }
    // A rotation period as long as the lifetime or longer means "whenever it expires".
    band.lowerDays = std::max(band.upperDays - band.rotationDays, 0.0);
    return band;
}

TimelineData buildTimeline(const QList<HistoryPoint> &history, const ProbeResult &latest,
                           const ExpiryPolicy &policy, const QDateTime &now) {
    TimelineData data;
    data.address = latest.address;
    data.now = now;

    // The current limiting certificate: from the latest result, else from the newest reading.
    const HistoryPoint *newestRead = nullptr;
    for (const HistoryPoint &h : history) {
        if ((h.address == latest.address || h.address.isEmpty()) && h.earliestExpiry.isValid())
            newestRead = &h;
    }
    if (latest.limiting) {
        data.notBefore = latest.limiting->notBefore;
        data.notAfter = latest.limiting->notAfter;
    } else if (newestRead) {
        // History keeps the leaf's window; the limiting certificate is nearly always the leaf.
        data.notBefore = newestRead->leafNotBefore;
        data.notAfter = newestRead->earliestExpiry;
    }
    if (data.hasCertificate()) {
        data.lifetimeDays = std::max(daysBetween(data.notBefore, data.notAfter), 0.0);
        data.band = rotationBand(policy, data.lifetimeDays);
        const EffectiveThresholds t =
            effectiveThresholds(policy, data.notBefore.secsTo(data.notAfter));
        data.warningDays = double(t.warningSeconds) / kDay;
        data.criticalDays = double(t.criticalSeconds) / kDay;
        data.rotationDueAt = data.notAfter.addMSecs(-qint64(data.band.lowerDays * kDay * 1000));
    }

    QDateTime lastExpiry; // of the last certificate read, for placing failures
    QString lastFingerprint;
    for (const HistoryPoint &h : history) {
        if (!h.address.isEmpty() && h.address != latest.address)
            continue;
        TimelinePoint p;
        p.at = h.probedAt;
        p.status = h.status;
        p.error = h.error;
        p.failed = isProbeFailure(h.status) || !h.earliestExpiry.isValid();
        if (p.failed) {
            p.daysLeft =
                lastExpiry.isValid() ? std::max(daysBetween(h.probedAt, lastExpiry), 0.0) : 0.0;
            data.failures << int(data.points.size());
        } else {
            p.daysLeft = daysBetween(h.probedAt, h.earliestExpiry);
            p.recordedDaysLeft = h.daysLeft;
            p.fingerprint = h.leafSha256;
            p.expiry = h.earliestExpiry;
            p.underBand = data.hasCertificate() && !data.band.contains(p.daysLeft);
            if (!lastFingerprint.isEmpty() && p.fingerprint != lastFingerprint)
                data.rotations << int(data.points.size());
            lastFingerprint = p.fingerprint;
            lastExpiry = h.earliestExpiry;
        }
        data.points << p;
    }

    if (data.hasCertificate() && data.notAfter > now) {
        data.projectionFrom = now;
        for (const TimelinePoint &p : std::as_const(data.points)) {
            // The newest reading of the current certificate; a reading after now (a clock
            // skew) must not start the projection in the future.
            if (!p.failed && p.expiry == data.notAfter && p.at <= now)
                data.projectionFrom = p.at;
        }
        data.projectionFromDays = daysBetween(data.projectionFrom, data.notAfter);
    }

    if (data.points.isEmpty()) {
        // Nothing recorded yet: the certificate's window is all there is to show.
        data.rangeStart = earliest(data.notBefore, now);
        data.rangeEnd = latestOf(data.notAfter, now);
        return data;
    }
    // Scaled to the probe history, not to the certificate's window: a two-year intermediate
    // probed for two weeks would otherwise squeeze every probe into one dot. The expiry joins
    // the range when it is no further ahead than the history reaches back, so that a near
    // expiry shows where the projection reaches zero; a far one is read off the Y axis.
    data.rangeStart = data.points.first().at;
    data.rangeEnd = latestOf(now, data.points.last().at);
    const qint64 span = std::max<qint64>(data.rangeStart.secsTo(data.rangeEnd), 7 * 86400);
    if (data.notAfter.isValid() && data.notAfter > data.rangeEnd &&
        data.rangeEnd.secsTo(data.notAfter) <= span)
        data.rangeEnd = data.notAfter;
    return data;
}

} // namespace certdash
