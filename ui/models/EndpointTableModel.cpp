#include "EndpointTableModel.h"

#include "widgets/StatusIcon.h"

#include <QFont>
#include <QLocale>

namespace certdash {

EndpointTableModel::EndpointTableModel(QObject *parent) : QAbstractTableModel(parent) {}

EndpointTableModel::Row EndpointTableModel::makeRow(const ProbeResult &result, bool probed)
{
    Row row;
    row.result = result;
    row.probed = probed;
    const Target &t = result.target;
    QStringList parts{t.host, t.name, result.sni, result.address, t.owner, t.tags.join(u' ')};
    if (const CertificateInfo *leaf = result.leaf())
        parts << leaf->subject << leaf->issuer << leaf->subjectAltNames.join(u' ');
    row.search = parts.join(u'\n').toLower();
    return row;
}

void EndpointTableModel::setInventory(const QList<Target> &targets,
                                      const QList<ProbeResult> &latest)
{
    beginResetModel();
    m_rows.clear();
    m_rows.reserve(targets.size() + latest.size());
    QHash<qint64, const Target *> byId;
    for (const Target &t : targets)
        byId.insert(t.id, &t);
    QSet<qint64> withResults;
    for (const ProbeResult &r : latest) {
        ProbeResult copy = r;
        if (const Target *t = byId.value(r.target.id))
            copy.target = *t;
        m_rows << makeRow(copy, true);
        withResults.insert(r.target.id);
    }
    for (const Target &t : targets) {
        if (withResults.contains(t.id))
            continue;
        ProbeResult placeholder;
        placeholder.target = t;
        placeholder.sni = t.effectiveSni();
        m_rows << makeRow(placeholder, false);
    }
    m_rowsByTarget.clear();
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowsByTarget.insert(m_rows.at(i).result.target.id, i);
    endResetModel();
}

void EndpointTableModel::upsertResult(const ProbeResult &result)
{
    const QList<int> candidates = m_rowsByTarget.values(result.target.id);
    // The row of the same address first; else the target's placeholder row gives way.
    for (const bool exact : {true, false}) {
        for (int i : candidates) {
            const Row &row = m_rows.at(i);
            const bool matches = exact ? row.probed && row.result.address == result.address
                                       : !row.probed || row.result.address.isEmpty();
            if (matches) {
                m_rows[i] = makeRow(result, true);
                emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
                return;
            }
        }
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size()));
    m_rowsByTarget.insert(result.target.id, int(m_rows.size()));
    m_rows << makeRow(result, true);
    endInsertRows();
}

QList<Target> EndpointTableModel::targetsAt(const QList<int> &rows) const
{
    QList<Target> targets;
    QSet<qint64> seen;
    for (int row : rows) {
        const Target &t = m_rows.at(row).result.target;
        if (!seen.contains(t.id)) {
            seen.insert(t.id);
            targets << t;
        }
    }
    return targets;
}

std::optional<qint64> EndpointTableModel::sortNumber(int rowIndex, int column) const
{
    const Row &row = m_rows.at(rowIndex);
    const ProbeResult &r = row.result;
    switch (column) {
    case StatusColumn:
        return row.probed ? severityRank(r.status) : 100;
    case DaysLeftColumn: // no result sorts last
        return r.daysLeft ? qint64(*r.daysLeft) : std::numeric_limits<qint64>::max();
    case ExpiresColumn:
        return r.limiting ? r.limiting->notAfter.toSecsSinceEpoch()
                          : std::numeric_limits<qint64>::max();
    case ProbedColumn:
        return r.probedAt.isValid() ? r.probedAt.toSecsSinceEpoch() : qint64(0);
    default:
        return std::nullopt;
    }
}

QStringList EndpointTableModel::allTags() const
{
    QSet<QString> tags;
    for (const Row &row : m_rows) {
        for (const QString &tag : row.result.target.tags)
            tags.insert(tag);
    }
    QStringList sorted(tags.cbegin(), tags.cend());
    sorted.sort();
    return sorted;
}

int EndpointTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EndpointTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EndpointTableModel::isStale(const Row &row) const
{
    return row.probed && m_staleAfter > 0 && row.result.probedAt.isValid()
        && row.result.probedAt.secsTo(m_now()) > m_staleAfter;
}

QString EndpointTableModel::text(const Row &row, int column) const
{
    const ProbeResult &r = row.result;
    const CertificateInfo *leaf = r.leaf();
    switch (column) {
    case StatusColumn:
        return row.probed ? statusLabel(r.status) : tr("Not probed yet");
    case TargetColumn:
        return r.target.label();
    case AddressColumn:
        return r.address.isEmpty() ? (r.target.addresses.isEmpty() ? tr("(resolve)")
                                                                   : r.target.addresses.join(u", "))
                                   : r.address;
    case SniColumn:
        return r.sni.isEmpty() ? tr("(none)") : r.sni;
    case DaysLeftColumn:
        return r.daysLeft ? QString::number(*r.daysLeft) : QString();
    case ExpiresColumn:
        return r.limiting ? QLocale().toString(r.limiting->notAfter.toLocalTime().date(),
                                               QLocale::ShortFormat)
                          : QString();
    case LimitingColumn:
        if (!r.limiting)
            return {};
        return r.limitingRole == QLatin1String("leaf")
            ? tr("leaf")
            : tr("%1: %2").arg(r.limitingRole, r.limiting->displayName());
    case IssuerColumn:
        return leaf ? (leaf->issuerCommonName.isEmpty() ? leaf->issuer : leaf->issuerCommonName)
                    : QString();
    case KeyColumn:
        if (!leaf)
            return {};
        return leaf->curve.isEmpty() ? tr("%1 %2").arg(leaf->keyType).arg(leaf->keyBits)
                                     : tr("%1 %2").arg(leaf->keyType, leaf->curve);
    case TrustColumn:
        if (!leaf)
            return {};
        return r.trust.trusted ? tr("trusted") : r.trust.findings.join(u"; ");
    case OwnerColumn:
        return r.target.owner;
    case TagsColumn:
        return r.target.tags.join(u", ");
    case ProbedColumn: {
        if (!row.probed)
            return {};
        const QString when = QLocale().toString(r.probedAt.toLocalTime(), QLocale::ShortFormat);
        return isStale(row) ? tr("%1 (stale)").arg(when) : when;
    }
    }
    return {};
}

QVariant EndpointTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    const ProbeResult &r = row.result;
    switch (role) {
    case Qt::DisplayRole:
        return text(row, index.column());
    case Qt::DecorationRole:
        if (index.column() == StatusColumn)
            return row.probed ? statusIcon(r.status) : notProbedIcon();
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExpiresColumn && r.limiting)
            return r.limiting->notAfter.toUTC().toString(Qt::ISODate);
        if (index.column() == TrustColumn && !r.trust.findings.isEmpty())
            return r.trust.findings.join(u'\n');
        if (index.column() == StatusColumn && !r.error.isEmpty())
            return r.error;
        return {};
    case Qt::FontRole:
        if (isStale(row)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case SearchRole:
        return row.search;
    case StatusRole:
        return row.probed ? int(r.status) : -1;
    case TagsRole:
        return r.target.tags;
    case SortRole:
        if (const auto number = sortNumber(index.row(), index.column()))
            return *number;
        return text(row, index.column());
    default:
        return {};
    }
}

QVariant EndpointTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StatusColumn:
        return tr("Status");
    case TargetColumn:
        return tr("Target");
    case AddressColumn:
        return tr("Address");
    case SniColumn:
        return tr("SNI");
    case DaysLeftColumn:
        return tr("Days left");
    case ExpiresColumn:
        return tr("Expires");
    case LimitingColumn:
        return tr("Limiting certificate");
    case IssuerColumn:
        return tr("Issuer");
    case KeyColumn:
        return tr("Key");
    case TrustColumn:
        return tr("Trust");
    case OwnerColumn:
        return tr("Owner");
    case TagsColumn:
        return tr("Tags");
    case ProbedColumn:
        return tr("Last probed");
    }
    return {};
}

} // namespace certdash
