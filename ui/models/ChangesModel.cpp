#include "ChangesModel.h"

#include "domain/Status.h"
#include "domain/Trust.h"

#include <QLocale>

#include <algorithm>

namespace certdash {

namespace {
QString shortFingerprint(const QString &sha256) {
    // "AB:CD:EF:01:23:45…": the first six bytes tell certificates apart at a glance.
    return sha256.size() > 17 ? sha256.left(17) + QChar(0x2026) : sha256;
}

QString statusWords(const QString &key) {
    const auto status = statusFromKey(key);
    return status ? statusLabel(*status) : key;
}

QString localTime(const QDateTime &utc) {
    return QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat);
}
} // namespace

ChangesModel::ChangesModel(QObject *parent)
    : QAbstractTableModel(parent) {}

void ChangesModel::setChanges(const QList<Change> &changes) {
    beginResetModel();
    m_changes = changes;
    std::reverse(m_changes.begin(), m_changes.end());
    endResetModel();
}

int ChangesModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : int(m_changes.size());
}

int ChangesModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString ChangesModel::changeText(const Change &c) {
    const QString arrow = QStringLiteral(" \u2192 ");
    switch (c.kind) {
    case ChangeKind::CertificateRotated: {
        const QDateTime expiry = QDateTime::fromString(c.detail, Qt::ISODate);
        return tr("%1%2%3, expires %4")
            .arg(shortFingerprint(c.before), arrow, shortFingerprint(c.after),
                 expiry.isValid() ? localTime(expiry) : c.detail);
    }
    case ChangeKind::RotationOverdue:
        return tr("%1 still served, %n day(s) left", nullptr, c.detail.toInt())
            .arg(shortFingerprint(c.before));
    case ChangeKind::FindingAppeared:
    case ChangeKind::FindingResolved:
        return findingKindLabel(findingKindFromKey(c.detail));
    case ChangeKind::FailureStarted: {
        const QString after = statusWords(c.after);
        const QString change = c.before.isEmpty() ? after : statusWords(c.before) + arrow + after;
        return c.detail.isEmpty() ? change : tr("%1: %2").arg(change, c.detail);
    }
    case ChangeKind::Recovered:
        return statusWords(c.before) + arrow + statusWords(c.after);
    case ChangeKind::AddressDiverged:
        return tr("siblings serve %1, this address %2")
            .arg(shortFingerprint(c.before), shortFingerprint(c.after));
    case ChangeKind::AddressAppeared:
    case ChangeKind::AddressDisappeared:
    case ChangeKind::TargetAdded:
    case ChangeKind::TargetRemoved:
        break;
    }
    return QString();
}

QVariant ChangesModel::data(const QModelIndex &index, int role) const {
    if (!index.isValid() || index.row() >= m_changes.size())
        return {};
    const Change &c = m_changes.at(index.row());
    if (role == TargetIdRole)
        return c.targetId;
    if (role == Qt::ToolTipRole) {
        if (index.column() == FirstSeenColumn)
            return c.firstSeen.toUTC().toString(Qt::ISODate);
        if (index.column() == ChangeColumn && !(c.before.isEmpty() && c.after.isEmpty()))
            return tr("Before: %1\nAfter: %2").arg(c.before, c.after);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case FirstSeenColumn:
        return localTime(c.firstSeen);
    case KindColumn:
        return changeKindLabel(c.kind);
    case TargetColumn:
        return c.target;
    case AddressColumn:
        return c.address;
    case ChangeColumn:
        return changeText(c);
    default:
        return {};
    }
}

QVariant ChangesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case FirstSeenColumn:
        return tr("First seen");
    case KindColumn:
        return tr("Change");
    case TargetColumn:
        return tr("Target");
    case AddressColumn:
        return tr("Address");
    case ChangeColumn:
        return tr("Before \u2192 after");
    default:
        return {};
    }
}

} // namespace certdash
