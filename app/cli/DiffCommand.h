#pragma once

#include "CommandStreams.h"

#include <QDateTime>
#include <QList>
#include <QStringList>

#include <optional>

namespace certdash {
struct Change;
}

namespace certdash::cli {

// `certdash diff --since DURATION|DATE [--until DURATION|DATE] [--format csv|json] [--output F]`:
// what changed in the store between two points in time (storage/ChangeFeed), one row per change
// at the time it was first seen. Exit code 0 (changes or none), 3 for usage and store errors.
int runDiff(const QStringList &arguments, const CommandStreams &streams);

// A point in time as `diff` takes it: a duration back from now ("7d", "12h", "30m", "2w",
// "90s") or an ISO 8601 date or date-time ("2026-03-01", "2026-03-01T08:00", local time unless it
// ends in Z or an offset). nullopt with a message quoting the text when it is neither.
std::optional<QDateTime> parseTimePoint(const QString &text, const QDateTime &now,
                                        QString *error = nullptr);

// The changes as CSV (UTC ISO 8601 times, plain numbers) or JSON (stable keys).
QByteArray renderChangesCsv(const QList<Change> &changes);
QByteArray renderChangesJson(const QList<Change> &changes, const QDateTime &since,
                             const QDateTime &until);

} // namespace certdash::cli
