#pragma once

// SEAM (issue 16, CONTRACTS.md part B): the changes the evidence report lists come from
// app/storage/ChangeFeed.h, which helper `changes` provides. With that header in the tree the
// report calls changesBetween(); until it is merged, the contract's types are declared here and
// the report says that this build lists no changes (tests give their own QList<Change>).
// Once ChangeFeed.h is merged, the #else branch is dead and can go.
#if __has_include("storage/ChangeFeed.h")
#include "storage/ChangeFeed.h"
#define CERTDASH_HAS_CHANGE_FEED 1
#else
#define CERTDASH_HAS_CHANGE_FEED 0

#include <QDateTime>
#include <QList>
#include <QString>

namespace certdash {
enum class ChangeKind {
    CertificateRotated, // before = old leaf sha256, after = new leaf sha256, detail = new expiry
    RotationOverdue,
    FindingAppeared,
    FindingResolved, // detail = finding kind key
    FailureStarted,
    Recovered, // detail = error / status
    AddressAppeared,
    AddressDisappeared,
    AddressDiverged,
    TargetAdded,
    TargetRemoved,
};
QString changeKindKey(ChangeKind kind);
QString changeKindLabel(ChangeKind kind);
struct Change {
    QDateTime firstSeen; // UTC
    ChangeKind kind = ChangeKind::TargetAdded;
    qint64 targetId = 0;
    QString target;
    QString address;
    QString before, after, detail;
};
} // namespace certdash
#endif

#include <optional>

namespace certdash {
class Database;

// Every change first seen in [since, until), oldest first, rotation judged with
// defaultRotationDays where targets and tags set none (as the window's Changes view does);
// *available false when this build has no change feed (the report then says so instead of
// claiming "no changes").
QList<Change> evidenceChanges(const Database &db, const QDateTime &since, const QDateTime &until,
                              std::optional<int> defaultRotationDays, bool *available,
                              QString *error);
} // namespace certdash
