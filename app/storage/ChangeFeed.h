#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace certdash {

class Database;

// What changed in the store between two points in time, read from its history (probes,
// certificates, targets and target_events): the auditor's "what is different since last week"
// and the on-call's "what changed tonight". One Change per change, at the time it was first seen.
enum class ChangeKind {
    CertificateRotated,  // before = old leaf sha256, after = new leaf sha256, detail = new expiry
    RotationOverdue,     // rotation that did not happen when due (days left left the expected range)
    FindingAppeared, FindingResolved, // detail = finding kind key (hostname_mismatch, revoked, ...)
    FailureStarted, Recovered,        // detail = error / status
    AddressAppeared, AddressDisappeared, AddressDiverged, // diverged: leaf differs from siblings
    TargetAdded, TargetRemoved,
};
QString changeKindKey(ChangeKind);   // "certificate_rotated", ... (stable, CSV/JSON)
QString changeKindLabel(ChangeKind); // translated, for the window and the evidence report
// The kind of a key changeKindKey() gives; nullopt for anything else.
std::optional<ChangeKind> changeKindFromKey(const QString &key);

struct Change {
    QDateTime firstSeen;   // UTC
    ChangeKind kind;
    qint64 targetId = 0;   // 0 when the target no longer exists
    QString target;        // endpoint key / display name as stored
    QString address;       // "" when the change is about the target
    QString before, after, detail;
};

// Every change first seen in [since, until), oldest first.
QList<Change> changesBetween(const Database &db, const QDateTime &since, const QDateTime &until,
                             QString *error = nullptr);

// The same, where rotation is judged also with this default rotation period (days) for targets
// and tags that set none (Settings::expiryPolicy().rotationDays); the stored status
// rotation_overdue counts either way.
QList<Change> changesBetween(const Database &db, const QDateTime &since, const QDateTime &until,
                             std::optional<int> defaultRotationDays, QString *error = nullptr);

// What the fields of a change mean in words, for lists: "old -> new" with fingerprints
// shortened. Translated.
QString changeSummary(const Change &change);

} // namespace certdash
