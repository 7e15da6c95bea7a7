#include "EvidenceChanges.h"

namespace certdash {

#if !CERTDASH_HAS_CHANGE_FEED
QString changeKindKey(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::CertificateRotated:
        return QStringLiteral("certificate_rotated");
    case ChangeKind::RotationOverdue:
        return QStringLiteral("rotation_overdue");
    case ChangeKind::FindingAppeared:
        return QStringLiteral("finding_appeared");
    case ChangeKind::FindingResolved:
        return QStringLiteral("finding_resolved");
    case ChangeKind::FailureStarted:
        return QStringLiteral("failure_started");
    case ChangeKind::Recovered:
        return QStringLiteral("recovered");
    case ChangeKind::AddressAppeared:
        return QStringLiteral("address_appeared");
    case ChangeKind::AddressDisappeared:
        return QStringLiteral("address_disappeared");
    case ChangeKind::AddressDiverged:
        return QStringLiteral("address_diverged");
    case ChangeKind::TargetAdded:
        return QStringLiteral("target_added");
    case ChangeKind::TargetRemoved:
        return QStringLiteral("target_removed");
    }
    return {};
}

QString changeKindLabel(ChangeKind kind) {
    // The feed's own labels replace these once app/storage/ChangeFeed.h is merged.
    QString key = changeKindKey(kind);
    key.replace(u'_', u' ');
    if (!key.isEmpty())
        key[0] = key.at(0).toUpper();
    return key;
}
#endif

QList<Change> evidenceChanges(const Database &db, const QDateTime &since, const QDateTime &until,
                              std::optional<int> defaultRotationDays, bool *available,
                              QString *error) {
#if CERTDASH_HAS_CHANGE_FEED
    *available = true;
    return changesBetween(db, since, until, defaultRotationDays, error);
#else
    Q_UNUSED(db);
    Q_UNUSED(defaultRotationDays);
    Q_UNUSED(since);
    Q_UNUSED(until);
    Q_UNUSED(error);
    *available = false;
    return {};
#endif
}

} // namespace certdash
