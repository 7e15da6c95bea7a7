#pragma once

#include "AlertLevel.h"
#include "domain/Trust.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace certdash {

// What the tracker remembers about one (target, address) between scans and across restarts
// (AlertStateRepository keeps it in the store's alert_state table).
struct AlertState {
    qint64 targetId = 0;
    QString address;
    // The last level crossed: the edge detector. Lowered silently when the level improves
    // without a new certificate, so that a later worsening is a crossing again.
    AlertLevel level = AlertLevel::Ok;
    // The last level the user was told about (<= level). Lags behind level while a snooze or a
    // pause hides crossings; when that ends, the difference is shown once as a reminder.
    AlertLevel notifiedLevel = AlertLevel::Ok;
    // SHA-256 of the limiting certificate at the last probe that read one; kept through
    // failures so that a certificate replaced during an outage is still seen as a renewal.
    QString fingerprint;
    // The trust level of the last probe that read a certificate: the trust edge detector. Kept
    // through probe failures (nothing was learnt about trust).
    TrustLevel trustLevel = TrustLevel::Trusted;
    int failures = 0;       // consecutive probe failures
    QDateTime failingSince; // UTC, the first failure of the current streak; null when none
    QDateTime updatedAt;    // UTC

    bool operator==(const AlertState &other) const;
    bool operator!=(const AlertState &other) const { return !(*this == other); }
};

// Acknowledge or snooze per target (every address of it): no notifications until `until`, or
// until a new certificate is seen at any of its addresses.
enum class SnoozeKind { OneDay, OneWeek, UntilRenewed };

struct AlertSnooze {
    qint64 targetId = 0;
    QDateTime until; // UTC; null for UntilRenewed
    bool untilRenewed = false;
    QDateTime createdAt; // UTC

    bool activeAt(const QDateTime &now) const { return untilRenewed || now < until; }
    static AlertSnooze make(qint64 targetId, SnoozeKind kind, const QDateTime &now);
};

} // namespace certdash
