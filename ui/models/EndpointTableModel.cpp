#include "EndpointTableModel.h"

#include "domain/Attention.h"
#include "domain/ExpiryWords.h"
#include "widgets/StatusIcon.h"

#include <QFont>
#include <QLocale>

#include <algorithm>
#include <numeric>

namespace certdash {

EndpointTableModel::EndpointTableModel(QObject *parent) : QAbstractTableModel(parent) {}

QString EndpointTableModel::makeSearch(const ProbeResult &result)
{
    const Target &t = result.target;
    QStringList parts{t.host,
                      t.name,
                      result.sni,
                      result.address,
                      t.owner,
                      t.tags.join(u' '),
                      sourceLabel(result.source),
                      result.vantage};
    if (const CertificateInfo *leaf = result.leaf())
        parts << leaf->subject << leaf->issuer << leaf->subjectAltNames.join(u' ');
    return parts.join(u'\n').toLower();
}

EndpointTableModel::Numbers EndpointTableModel::makeNumbers(const ProbeResult &result,
                                                            bool probed)
{
    Numbers numbers;
    numbers[StatusKey] = probed ? severityRank(result.status) : 100; // after every status
    numbers[DaysLeftKey] = result.daysLeft ? qint64(*result.daysLeft) : NoNumber;
    numbers[ExpiresKey] = result.limiting ? result.limiting->notAfter.toSecsSinceEpoch()
                                          : NoNumber;
    numbers[ProbedKey] = probed && result.probedAt.isValid() ? result.probedAt.toSecsSinceEpoch()
                                                             : 0;
    return numbers;
}

EndpointTableModel::Row EndpointTableModel::makeRow(ProbeResult result, bool probed) {
    Row row{std::make_shared<const ProbeResult>(std::move(result)), probed};
    row.untrusted = probed && trustBeyondExpiry(row.result()) == TrustLevel::Failed;
    row.attention = probed && needsAttention(row.result());
    return row;
}

void EndpointTableModel::account(Prepared &table, const Row &row, int sign) {
    table.statusCounts[statusSlot(row)] += sign;
    if (row.untrusted)
        table.trustFailed += sign;
    if (row.attention)
        table.needsAttention += sign;
    const Target &t = row.result().target;
    for (const QString &tag : t.tags) {
        auto it = table.tagCounts.find(tag);
        if (it == table.tagCounts.end())
            it = table.tagCounts.insert(tag, 0);
        if ((*it += sign) <= 0)
            table.tagCounts.erase(it);
    }
    // One entry per target, however many address rows it has: counted by the first row of the
    // target only when it is added, and dropped by the caller when the target goes away.
    if (sign > 0 && !isFleetRow(row.result()))
        table.targetByEndpoint.insert(endpointKey(t), t.id);
}

void EndpointTableModel::appendRow(Prepared &table, ProbeResult result, bool probed) {
    table.search << makeSearch(result);
    const Numbers numbers = makeNumbers(result, probed);
    for (int key = 0; key < NumberKeyCount; ++key)
        table.numbers[key] << numbers[key];
    table.rows << makeRow(std::move(result), probed);
    account(table, table.rows.last(), 1);
}

void EndpointTableModel::insertRow(ProbeResult result, bool probed) {
    const int stored = int(m_rows.size());
    m_rowsByTarget.insert(result.target.id, stored);
    appendRow(m_table, std::move(result), probed);
    const int row = sortedPosition(stored, 0, int(m_order.size()));
    if (!m_resetting)
        beginInsertRows({}, row, row);
    m_order.insert(row, stored);
    m_position << 0;
    for (int i = row; i < m_order.size(); ++i)
        m_position[m_order.at(i)] = i;
    if (!m_resetting)
        endInsertRows();
}

void EndpointTableModel::replaceRow(int i, ProbeResult result, bool probed)
{
    account(m_table, m_rows.at(i), -1);
    m_search[i] = makeSearch(result);
    const Numbers numbers = makeNumbers(result, probed);
    for (int key = 0; key < NumberKeyCount; ++key)
        m_numbers[key][i] = numbers[key];
    m_rows[i] = makeRow(std::move(result), probed);
    account(m_table, m_rows.at(i), 1);
    const int row = m_position.at(i);
    if (!m_resetting)
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    if (m_sortColumn < 0)
        return;
    // Where the row belongs among the others, which are still sorted.
    const int n = int(m_order.size());
    int target = row;
    if (row > 0 && storedBefore(m_table, m_sortColumn, m_sortOrder, i, m_order.at(row - 1)))
        target = sortedPosition(i, 0, row);
    else if (row + 1 < n &&
             storedBefore(m_table, m_sortColumn, m_sortOrder, m_order.at(row + 1), i))
        target = sortedPosition(i, row + 1, n);
    if (target == row)
        return;
    // target counts rows before the move: moving down, it is past the row itself.
    if (!m_resetting)
        beginMoveRows({}, row, row, {}, target);
    const int to = target > row ? target - 1 : target;
    m_order.move(row, to);
    for (int k = std::min(row, to); k <= std::max(row, to); ++k)
        m_position[m_order.at(k)] = k;
    if (!m_resetting)
        endMoveRows();
}

int EndpointTableModel::sortedPosition(int stored, int first, int last) const {
    if (m_sortColumn < 0)
        return last;
    // The first model row in [first, last) that sorts after the stored row.
    const auto begin = m_order.cbegin() + first;
    const auto it = std::partition_point(begin, m_order.cbegin() + last, [&](int other) {
        return storedBefore(m_table, m_sortColumn, m_sortOrder, other, stored);
    });
    return int(it - m_order.cbegin());
}

EndpointTableModel::Prepared EndpointTableModel::prepare(QList<Target> targets,
                                                         QList<ProbeResult> latest, int sortColumn,
                                                         Qt::SortOrder order,
                                                         const QList<QList<ProbeResult>> &fleet) {
    static_assert(std::tuple_size_v<decltype(Prepared::numbers)> == NumberKeyCount);
    static_assert(std::tuple_size_v<decltype(Prepared::statusCounts)> ==
                  int(Status::HandshakeFailed) + 2); // every status and "not probed yet"
    Prepared table;
    qsizetype capacity = targets.size() + latest.size();
    for (const QList<ProbeResult> &rows : fleet)
        capacity += rows.size();
    table.rows.reserve(capacity);
    table.search.reserve(capacity);
    for (QList<qint64> &numbers : table.numbers)
        numbers.reserve(capacity);
    table.targetByEndpoint.reserve(targets.size());
    QHash<qint64, const Target *> byId;
    byId.reserve(targets.size());
    for (const Target &t : std::as_const(targets))
        byId.insert(t.id, &t);
    // A name either resolved or it did not: the store keeps the newest result of every address
    // and of the failed lookup (address ""), but only the newer side is current. A DNS failure
    // newer than every address row hides them; an address row newer than it hides it.
    QHash<qint64, QDateTime> lookupFailedAt;
    for (const ProbeResult &r : std::as_const(latest)) {
        if (r.address.isEmpty())
            lookupFailedAt.insert(r.target.id, r.probedAt);
    }
    QHash<qint64, QDateTime> resolvedAt; // newest address row of those targets
    for (const ProbeResult &r : std::as_const(latest)) {
        if (!r.address.isEmpty() && lookupFailedAt.contains(r.target.id)) {
            QDateTime &newest = resolvedAt[r.target.id];
            if (!newest.isValid() || r.probedAt > newest)
                newest = r.probedAt;
        }
    }
    const auto superseded = [&](const ProbeResult &r) {
        const auto failed = lookupFailedAt.constFind(r.target.id);
        if (failed == lookupFailedAt.constEnd())
            return false;
        const QDateTime resolved = resolvedAt.value(r.target.id);
        if (!resolved.isValid())
            return false; // only the failure
        return r.address.isEmpty() ? *failed < resolved : *failed >= resolved;
    };
    QSet<qint64> withResults;
    for (ProbeResult &r : latest) {
        if (superseded(r))
            continue;
        if (const Target *t = byId.value(r.target.id))
            r.target = *t;
        withResults.insert(r.target.id);
        appendRow(table, std::move(r), true);
    }
    latest.clear();
    for (const Target &t : std::as_const(targets)) {
        if (withResults.contains(t.id))
            continue;
        ProbeResult placeholder;
        placeholder.target = t;
        placeholder.sni = t.effectiveSni();
        appendRow(table, std::move(placeholder), false);
    }
    // Stored in the sorted order too, so that a filter walks the rows front to back.
    const QList<int> sorted = sortedOrder(table, sortColumn, order);
    Prepared arranged;
    arranged.rows.reserve(table.rows.size());
    arranged.search.reserve(table.rows.size());
    for (QList<qint64> &list : arranged.numbers)
        list.reserve(table.rows.size());
    for (int i : sorted) {
        arranged.rows << std::move(table.rows[i]);
        // A copy, not a move: allocated in this order, the texts lie in memory as the filter
        // reads them.
        arranged.search << QString(table.search.at(i).constData(), table.search.at(i).size());
        table.search[i] = QString();
        for (int k = 0; k < NumberKeyCount; ++k)
            arranged.numbers[k] << table.numbers[k].at(i);
    }
    table.rows = std::move(arranged.rows);
    table.search = std::move(arranged.search);
    table.numbers = std::move(arranged.numbers);
    table.order.resize(table.rows.size());
    std::iota(table.order.begin(), table.order.end(), 0);
    table.position = table.order;
    if (!fleet.isEmpty()) {
        // Fleet rows are stored after the own rows, each source's in the order it was read,
        // as setFleetRows() keeps them (it finds "the same rows again" by walking that order).
        for (const QList<ProbeResult> &rows : fleet) {
            for (const ProbeResult &r : rows)
                appendRow(table, r, true);
        }
        table.order = sortedOrder(table, sortColumn, order);
        rebuildPositions(table);
    }
    table.sortColumn = sortColumn;
    table.sortOrder = order;
    table.rowsByTarget.reserve(table.rows.size());
    for (int i = 0; i < table.rows.size(); ++i)
        table.rowsByTarget.insert(table.rows.at(i).result().target.id, i);
    return table;
}

std::optional<int> EndpointTableModel::numberKeyOf(int column) {
    switch (column) {
    case EndpointTableModel::StatusColumn:
        return 0;
    case EndpointTableModel::DaysLeftColumn:
        return 1;
    case EndpointTableModel::ExpiresColumn:
        return 2;
    case EndpointTableModel::ProbedColumn:
        return 3;
    default:
        return std::nullopt;
    }
}

bool EndpointTableModel::storedBefore(const Prepared &table, int column, Qt::SortOrder order, int a,
                                      int b, const QList<QString> *texts) {
    int compared = 0;
    if (const auto key = numberKeyOf(column)) {
        static_assert(StatusKey == 0 && DaysLeftKey == 1 && ExpiresKey == 2 && ProbedKey == 3);
        const qint64 x = table.numbers[*key].at(a);
        const qint64 y = table.numbers[*key].at(b);
        // Failures and unprobed rows have nothing to compare: last in either order.
        if ((x == NoNumber) != (y == NoNumber))
            return y == NoNumber;
        compared = x < y ? -1 : (x > y ? 1 : 0);
    } else if (texts) {
        compared = texts->at(a).compare(texts->at(b));
    } else {
        compared = plainText(table.rows.at(a), column).compare(plainText(table.rows.at(b), column));
    }
    if (order == Qt::DescendingOrder)
        compared = -compared;
    return compared != 0 ? compared < 0 : a < b;
}

QList<int> EndpointTableModel::sortedOrder(const Prepared &table, int column, Qt::SortOrder order) {
    QList<int> sorted(table.rows.size());
    std::iota(sorted.begin(), sorted.end(), 0);
    if (column < 0 || column >= ColumnCount)
        return sorted;
    // A text column's texts once per row, not twice per comparison.
    QList<QString> texts;
    if (!numberKeyOf(column)) {
        texts.reserve(table.rows.size());
        for (const Row &row : table.rows)
            texts << plainText(row, column);
    }
    // Ties fall back to the stored index, so this order is total and std::sort is enough.
    std::sort(sorted.begin(), sorted.end(), [&](int a, int b) {
        return storedBefore(table, column, order, a, b, texts.isEmpty() ? nullptr : &texts);
    });
    return sorted;
}

void EndpointTableModel::rebuildPositions(Prepared &table) {
    table.position.resize(table.order.size());
    for (int row = 0; row < table.order.size(); ++row)
        table.position[table.order.at(row)] = row;
}

void EndpointTableModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount)
        column = -1;
    m_sortColumn = column;
    m_sortOrder = order;
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<int> storedOf;
    storedOf.reserve(before.size());
    for (const QModelIndex &index : before)
        storedOf << m_order.at(index.row());
    m_order = sortedOrder(m_table, column, order);
    m_table.sortColumn = column;
    m_table.sortOrder = order;
    rebuildPositions(m_table);
    QModelIndexList after;
    after.reserve(before.size());
    for (int i = 0; i < before.size(); ++i)
        after << index(m_position.at(storedOf.at(i)), before.at(i).column());
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

EndpointTableModel::Prepared EndpointTableModel::setPrepared(Prepared prepared,
                                                             const QList<ProbeResult> &newer) {
    beginResetModel();
    std::swap(m_table, prepared);
    if (m_table.sortColumn != m_sortColumn ||
        (m_sortColumn >= 0 && m_table.sortOrder != m_sortOrder)) {
        // Sorted differently while it was prepared (a header clicked during the load).
        m_order = sortedOrder(m_table, m_sortColumn, m_sortOrder);
        m_table.sortColumn = m_sortColumn;
        m_table.sortOrder = m_sortOrder;
        rebuildPositions(m_table);
    }
    m_resetting = true;
    for (const ProbeResult &result : newer)
        upsertIfNewer(result);
    m_resetting = false;
    endResetModel();
    return prepared;
}

void EndpointTableModel::setInventory(const QList<Target> &targets,
                                      const QList<ProbeResult> &latest) {
    setPrepared(prepare(targets, latest, m_sortColumn, m_sortOrder));
}

QList<Target> EndpointTableModel::targetsAt(const QList<int> &rows) const
{
    QList<Target> targets;
    QSet<qint64> seen;
    for (int row : rows) {
        if (isFleetRow(rowAt(row).result()))
            continue; // read from a Prometheus: nothing to edit, probe or remove here
        const Target &t = rowAt(row).result().target;
        if (!seen.contains(t.id)) {
            seen.insert(t.id);
            targets << t;
        }
    }
    return targets;
}

std::optional<qint64> EndpointTableModel::sortNumber(int row, int column) const {
    if (const auto key = numberKeyOf(column))
        return m_numbers[*key].at(m_order.at(row));
    return std::nullopt;
}

QStringList EndpointTableModel::allTags() const
{
    QStringList sorted = m_table.tagCounts.keys();
    sorted.sort();
    return sorted;
}

std::optional<Target> EndpointTableModel::targetWithEndpoint(const QString &key) const {
    const auto id = m_table.targetByEndpoint.constFind(key);
    if (id == m_table.targetByEndpoint.constEnd())
        return std::nullopt;
    const auto row = m_rowsByTarget.constFind(*id);
    if (row == m_rowsByTarget.constEnd())
        return std::nullopt;
    return m_rows.at(*row).result().target;
}

QMap<int, int> EndpointTableModel::statusCounts() const {
    QMap<int, int> counts;
    for (int slot = 0; slot < int(m_table.statusCounts.size()); ++slot) {
        if (m_table.statusCounts[slot] > 0)
            counts.insert(slot == 0 ? NotProbedStatus : slot - 1, m_table.statusCounts[slot]);
    }
    return counts;
}

QDateTime EndpointTableModel::newestProbe() const {
    // The probed-at sort key: one array scan instead of a walk over 100,000 large rows.
    const QList<qint64> &probed = m_numbers[ProbedKey];
    qint64 newest = 0;
    for (qint64 seconds : probed)
        newest = std::max(newest, seconds);
    return newest > 0 ? QDateTime::fromSecsSinceEpoch(newest, Qt::UTC) : QDateTime();
}

int EndpointTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_order.size());
}

int EndpointTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool EndpointTableModel::isStale(const Row &row) const
{
    const qint64 after = isFleetRow(row.result()) ? m_fleetStaleAfter.value(row.result().source, 0)
                                                : m_staleAfter;
    return row.probed && after > 0 && row.result().probedAt.isValid()
        && row.result().probedAt.secsTo(m_now()) > after;
}

namespace {
// The names people read in browsers and policies ("P-256"), not OpenSSL's ("prime256v1").
QString curveName(const QString &curve)
{
    if (curve == QLatin1String("prime256v1") || curve == QLatin1String("secp256r1"))
        return QStringLiteral("P-256");
    if (curve == QLatin1String("secp384r1"))
        return QStringLiteral("P-384");
    if (curve == QLatin1String("secp521r1"))
        return QStringLiteral("P-521");
    return curve;
}

QString keyText(const CertificateInfo &cert)
{
    if (!cert.curve.isEmpty())
        return cert.keyType + u' ' + curveName(cert.curve);
    // Ed25519 and Ed448 name their size already.
    if (cert.keyBits <= 0 || cert.keyType.startsWith(QLatin1String("Ed")))
        return cert.keyType;
    return cert.keyType + u' ' + QString::number(cert.keyBits);
}
} // namespace

QString EndpointTableModel::text(const Row &row, int column) const {
    if (column != ProbedColumn)
        return plainText(row, column);
    if (!row.probed)
        return {};
    const QString when =
        QLocale().toString(row.result().probedAt.toLocalTime(), QLocale::ShortFormat);
    return isStale(row) ? tr("%1 (stale)").arg(when) : when;
}

QString EndpointTableModel::plainText(const Row &row, int column) {
    const ProbeResult &r = row.result();
    const CertificateInfo *leaf = r.leaf();
    switch (column) {
    case StatusColumn:
        if (!row.probed)
            return tr("Not probed yet");
        // Trust in words beside the expiry status, so that neither hides the other.
        // "Expired" already says that an expired certificate is not trusted.
        switch (trustBeyondExpiry(r).value_or(TrustLevel::Trusted)) {
        case TrustLevel::Failed:
            return tr("%1 \u00b7 not trusted: %2")
                .arg(statusLabel(r.status), trustReason(kindsBeyondExpiry(r.trust.kinds)));
        case TrustLevel::Weak:
            return tr("%1 \u00b7 weak: %2")
                .arg(statusLabel(r.status), trustReason(kindsBeyondExpiry(r.trust.kinds)));
        case TrustLevel::Accepted:
            return tr("%1 \u00b7 accepted").arg(statusLabel(r.status));
        case TrustLevel::Trusted:
            break;
        }
        return statusLabel(r.status);
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
        if (r.limitingRole.isEmpty()) // a fleet row: blackbox exports the chain's earliest
            return tr("earliest in the chain"); // expiry, not which certificate has it
        if (r.limitingRole == QLatin1String("leaf"))
            return tr("leaf");
        if (r.limitingRole == QLatin1String("root"))
            return tr("root: %1").arg(r.limiting->displayName());
        return tr("intermediate: %1").arg(r.limiting->displayName());
    case IssuerColumn:
        return leaf ? (leaf->issuerCommonName.isEmpty() ? leaf->issuer : leaf->issuerCommonName)
                    : QString();
    case KeyColumn:
        return leaf ? keyText(*leaf) : QString();
    case TrustColumn:
        if (!leaf)
            return {};
        return r.trust.trusted ? tr("trusted") : r.trust.findings.join(u"; ");
    case OwnerColumn:
        return r.target.owner;
    case TagsColumn:
        return r.target.tags.join(u", ");
    case SourceColumn:
        if (!r.vantage.isEmpty()) // one of several exporters that probe this address
            return tr("%1 via %2").arg(sourceLabel(r.source), r.vantage);
        return sourceLabel(r.source);
    case ProbedColumn: // text() handles it
        break;
    }
    return {};
}

QVariant EndpointTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_order.size())
        return {};
    const Row &row = rowAt(index.row());
    const ProbeResult &r = row.result();
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == StatusColumn && m_snoozeNote &&
            !m_snoozeNote(alertTargetOf(r)).isEmpty())
            return tr("%1 (snoozed)").arg(text(row, index.column()));
        return text(row, index.column());
    case Qt::DecorationRole:
        if (index.column() == StatusColumn) {
            if (!row.probed)
                return notProbedIcon();
            // Clients refuse the certificate: at least as urgent as critical.
            const bool untrusted = trustLevelOf(r) == TrustLevel::Failed;
            return statusIcon(untrusted ? worseOf(r.status, Status::Critical) : r.status);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExpiresColumn && r.limiting)
            return r.limiting->notAfter.toUTC().toString(Qt::ISODate);
        // The column counts as the report does (floor); the tooltip says it as a person would,
        // as of the same probe: "expired 1 day ago" for 24.5 hours, where the column reads -2.
        if (index.column() == DaysLeftColumn && r.limiting && r.probedAt.isValid())
            return expiryInWords(r.limiting->notAfter, r.probedAt);
        if (index.column() == TrustColumn && !r.trust.findings.isEmpty())
            return r.trust.findings.join(u'\n');
        if ((index.column() == SourceColumn || index.column() == ProbedColumn) && isFleetRow(r))
            return fleetNote(row);
        if (index.column() == StatusColumn) {
            QStringList lines;
            if (!r.error.isEmpty())
                lines << r.error;
            if (m_snoozeNote)
                lines << m_snoozeNote(alertTargetOf(r));
            if (isFleetRow(r))
                lines << fleetNote(row);
            lines.removeAll(QString());
            return lines.isEmpty() ? QVariant() : QVariant(lines.join(u'\n'));
        }
        return {};
    case Qt::FontRole:
        if (isStale(row)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case SearchRole:
        return searchText(index.row());
    case StatusRole:
        return row.probed ? int(r.status) : NotProbedStatus;
    case TrustLevelRole: {
        const auto level = row.probed ? trustLevelOf(r) : std::nullopt;
        return level ? trustLevelKey(*level) : QString();
    }
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
    case SourceColumn:
        return tr("Source");
    }
    return {};
}

} // namespace certdash
