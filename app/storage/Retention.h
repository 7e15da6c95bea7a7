#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace certdash {

class Database;

// How much probe history to keep: every probe for keepAllDays, then the last probe of each UTC
// calendar day per target address until keepDailyDays, nothing older.
struct RetentionPolicy {
    int keepAllDays = 30;
    int keepDailyDays = 730;
};

struct PruneSummary {
    int deleted = 0;             // probes
    int certificatesDeleted = 0; // no longer referenced by any probe
};

// Applies the policy as of `now`, in one transaction:
// - probes with probed_at >= now - keepAllDays are kept;
// - older ones down to now - keepDailyDays are kept only when they are the last probe of their
//   (target, address, UTC day), looking at the whole day;
// - older ones are deleted;
// - the probe latest_probes points at is never deleted, however old (a target not probed for
//   years still shows its last result);
// - then certificates that no remaining probe references (leaf, chain or verified path) go.
// Returns nullopt and *error on failure, with nothing deleted.
std::optional<PruneSummary> prune(Database &database, const RetentionPolicy &policy,
                                  const QDateTime &now, QString *error = nullptr);

// Prunes when the last prune is at least minimumInterval old (or never happened), and records
// when it ran in the meta table. Thinning a year of daily history costs seconds on a large
// store, so a scan every few minutes must not pay it every time. nullopt on failure; a summary of
// zeros when it was not due.
std::optional<PruneSummary> pruneIfDue(Database &database, const RetentionPolicy &policy,
                                       const QDateTime &now, QString *error = nullptr,
                                       qint64 minimumIntervalSeconds = 20 * 3600);

// When pruneIfDue() last ran; null when never.
QDateTime lastPruned(Database &database);

} // namespace certdash
