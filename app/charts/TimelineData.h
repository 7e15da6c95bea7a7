#pragma once

#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "domain/Status.h"
#include "storage/HistoryRepository.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace certdash {

// Fractional days from `from` to `to` (negative when to is earlier): charts draw days left as a
// continuous line, where reports floor it to whole days.
double daysBetween(const QDateTime &from, const QDateTime &to);

// The band in which days left stays while rotation works: from the lifetime (a certificate just
// issued) down to lifetime - rotation period (when the next one is due). Without a rotation
// period the expectation is renewal at 2/3 of the lifetime (Let's Encrypt's habit), and the band
// says it is a default.
struct RotationBand {
    double lowerDays = 0;
    double upperDays = 0;
    double rotationDays = 0;
    bool isDefault = true;

    bool contains(double daysLeft) const { return daysLeft >= lowerDays; }
};
RotationBand rotationBand(const ExpiryPolicy &policy, double lifetimeDays);

// One recorded probe of the charted address.
struct TimelinePoint {
    QDateTime at; // UTC
    // Where the point is drawn: days left of the limiting certificate, fractional. A failed probe
    // read no certificate; it sits on the diagonal of the last certificate seen before it (0 when
    // none was seen) so that the marker lands where the line would have been.
    double daysLeft = 0;
    std::optional<int> recordedDaysLeft; // whole days as stored; none for a failed probe
    QString fingerprint;                 // leaf SHA-256; "" for a failed probe
    QDateTime expiry;                    // the limiting certificate's notAfter; null when failed
    Status status = Status::Ok;
    bool failed = false;
    bool underBand = false; // a certificate read with days left below the band's lower edge
    QString error;
};

// Everything the expiry timeline of one target address draws, in days left against time.
struct TimelineData {
    QString address;
    QDateTime now;
    QList<TimelinePoint> points; // oldest first, successes and failures
    QList<int> rotations;        // indices into points where the leaf's fingerprint changed
    QList<int> failures;         // indices into points of failed probes

    // The current limiting certificate's validity window: the diagonal from (notBefore,
    // lifetime) to (notAfter, 0). Null times when no certificate was ever read.
    QDateTime notBefore;
    QDateTime notAfter;
    double lifetimeDays = 0;

    RotationBand band;
    double warningDays = 0; // effective, after the lifetime caps
    double criticalDays = 0;
    // When days left of the current certificate crosses the band's lower edge: rotation is due.
    QDateTime rotationDueAt;

    // Dashed projection to expiry if nothing is renewed: from the newest reading of the current
    // certificate (or now) down the diagonal to (notAfter, 0). Null when already expired.
    QDateTime projectionFrom;
    double projectionFromDays = 0;

    // The x range that shows all of the above.
    QDateTime rangeStart;
    QDateTime rangeEnd;

    bool hasCertificate() const { return notAfter.isValid(); }
};

// Builds the timeline of `address` from a target's history (every address, oldest first, as
// HistoryRepository::history returns it), its latest result for that address and the target's
// effective policy (TagPolicy's effectivePolicy). Probes that failed before any address was known
// (DNS) belong to every address of the target.
TimelineData buildTimeline(const QList<HistoryPoint> &history, const ProbeResult &latest,
                           const ExpiryPolicy &policy, const QDateTime &now);

} // namespace certdash
