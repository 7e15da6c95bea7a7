#pragma once

#include "domain/Status.h"

#include <QString>

#include <optional>

namespace certdash {

// How loud an endpoint address is, for notifications: ordered, so "worse" is ">".
// not_yet_valid counts as Critical (nobody can use the certificate either way); probe failures
// count as Critical too, but only once AlertTracker has seen enough of them in a row.
enum class AlertLevel { Ok, RotationOverdue, Warning, Critical, Expired };

// The level of a status as probed. Probe failures map to Critical; whether a failure counts at
// all is the tracker's decision (consecutive-failure count), not this function's.
AlertLevel alertLevelFor(Status status);

// Translated, for text: "Warning", "Rotation overdue".
QString alertLevelLabel(AlertLevel level);

// Stable machine name for the store and the event log: "ok", "rotation_overdue", "warning",
// "critical", "expired".
QString alertLevelKey(AlertLevel level);
std::optional<AlertLevel> alertLevelFromKey(const QString &key);

inline bool isWorse(AlertLevel a, AlertLevel b) // a worse than b
{
    return static_cast<int>(a) > static_cast<int>(b);
}
inline AlertLevel worseLevel(AlertLevel a, AlertLevel b) {
    return isWorse(b, a) ? b : a;
}

} // namespace certdash
