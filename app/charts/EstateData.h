#pragma once

#include "charts/TimelineData.h"
#include "domain/ExpiryPolicy.h"
#include "domain/ProbeResult.h"
#include "domain/Status.h"
#include "storage/TagPolicy.h"

#include <QDate>
#include <QDateTime>
#include <QList>
#include <QPointF>
#include <QTimeZone>

#include <array>
#include <functional>

namespace certdash {

// The statuses a read certificate can have, in the order the calendar stacks them (worst at the
// bottom, where the eye starts).
constexpr std::array<Status, 6> kCertificateStatuses{Status::Expired,         Status::NotYetValid,
                                                     Status::Critical,        Status::Warning,
                                                     Status::RotationOverdue, Status::Ok};
// Index of status in kCertificateStatuses; -1 for a probe failure.
int certificateStatusIndex(Status status);

// One column of the expiry calendar: the results whose limiting certificate expires in
// [from, to), split by status. Each list holds indices into the results given.
struct ExpiryBucket {
    QDateTime from; // UTC; null for "already expired" (open to the past)
    QDateTime to;   // UTC, exclusive
    QDate week;     // the Monday the week starts on, in the chart's time zone; null when expired
    std::array<QList<int>, kCertificateStatuses.size()> members;

    int count(Status status) const;
    int total() const;
};

struct ExpiryCalendar {
    ExpiryBucket expired;       // notAfter <= now
    QList<ExpiryBucket> weeks;  // weeks[0] is the week now is in
    int later = 0;              // expiring after the last week
    int withoutCertificate = 0; // latest probe failed: nothing to date
};

// Buckets of whole weeks in `zone`: a week starts at midnight on Monday, local time, so a week
// across a DST change is 167 or 169 hours long.
ExpiryCalendar expiryCalendar(const QList<ProbeResult> &results, const QDateTime &now,
                              const QTimeZone &zone, int weeks = 26);

// The rotation health scatter: x = certificate lifetime in whole days, y = whole days left.
// Results at the same spot with the same verdict share one point (an estate of 90-day
// certificates renewed by one automation collapses to a few dozen points).
struct HealthPoint {
    int lifetimeDays = 0;
    int daysLeft = 0;
    bool underBand = false; // below the target's own band: rotation failed
    QList<int> members;     // indices into the results
};

struct RotationHealth {
    QList<HealthPoint> inBand;
    QList<HealthPoint> underBand;
    int maxLifetimeDays = 0;
    // The band and the thresholds of the global policy as lines over lifetime (x) from 0 to
    // maxLifetimeDays; targets with their own policy are judged by it, not by these lines.
    QList<QPointF> bandUpper;
    QList<QPointF> bandLower;
    bool bandIsDefault = true;
    QList<QPointF> warning;
    QList<QPointF> critical;
};

// `policyOf` gives each result's effective policy (see effectivePolicy in storage/TagPolicy.h).
RotationHealth rotationHealth(const QList<ProbeResult> &results,
                              const std::function<ExpiryPolicy(const Target &)> &policyOf,
                              const ExpiryPolicy &global);

} // namespace certdash
