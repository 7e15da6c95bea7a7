// The table's rows as results arrive: one row per (target, address), a placeholder that gives
// way to the first address, rows that a newer round of a name no longer returns taken away,
// targets edited and removed. EndpointTableModel.cpp holds the table, its sort and its texts.
#include "EndpointTableModel.h"

#include <algorithm>

namespace certdash {

void EndpointTableModel::rebuildTargetIndex()
{
    m_rowsByTarget.clear();
    m_rowsByTarget.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowsByTarget.insert(m_rows.at(i).result().target.id, i);
}

void EndpointTableModel::removeTarget(qint64 id)
{
    const QList<int> stored = m_rowsByTarget.values(id);
    if (stored.isEmpty())
        return;
    m_table.targetByEndpoint.remove(endpointKey(m_rows.at(stored.first()).result().target));
    removeStored(stored);
}

void EndpointTableModel::removeStored(QList<int> stored)
{
    if (stored.isEmpty())
        return;
    std::sort(stored.begin(), stored.end());
    QList<int> rows;
    for (int i : std::as_const(stored)) {
        account(m_table, m_rows.at(i), -1);
        rows << m_position.at(i);
    }
    std::sort(rows.begin(), rows.end());
    // From the bottom up, one signal per run of adjacent rows, so earlier indexes stay valid.
    int end = int(rows.size()) - 1;
    while (end >= 0) {
        int begin = end;
        while (begin > 0 && rows.at(begin - 1) == rows.at(begin) - 1)
            --begin;
        if (!m_resetting)
            beginRemoveRows({}, rows.at(begin), rows.at(end));
        m_order.remove(rows.at(begin), rows.at(end) - rows.at(begin) + 1);
        if (!m_resetting)
            endRemoveRows();
        end = begin - 1;
    }
    // Then the stored rows go, and the stored indexes after them move down.
    for (auto it = stored.crbegin(); it != stored.crend(); ++it) {
        m_rows.remove(*it);
        m_search.remove(*it);
        for (QList<qint64> &numbers : m_numbers)
            numbers.remove(*it);
    }
    for (int &i : m_order)
        i -= int(std::lower_bound(stored.cbegin(), stored.cend(), i) - stored.cbegin());
    rebuildPositions(m_table);
    rebuildTargetIndex();
}

void EndpointTableModel::updateTarget(const Target &target)
{
    const QList<int> rows = m_rowsByTarget.values(target.id);
    if (!rows.isEmpty())
        m_table.targetByEndpoint.remove(endpointKey(m_rows.at(rows.first()).result().target));
    if (rows.isEmpty()) {
        ProbeResult placeholder;
        placeholder.target = target;
        placeholder.sni = target.effectiveSni();
        insertRow(std::move(placeholder), false);
        return;
    }
    for (int i : rows) {
        ProbeResult result = m_rows.at(i).result();
        const bool probed = m_rows.at(i).probed;
        result.target = target;
        if (!probed) // what will be sent, until a probe says what was sent
            result.sni = target.effectiveSni();
        replaceRow(i, std::move(result), probed);
    }
}

void EndpointTableModel::refreshSnooze(qint64 targetId)
{
    const QList<int> own = m_rowsByTarget.values(targetId);
    QList<int> rows = own;
    // Fleet rows that stand for the target share its snooze (FleetFeed alerts them as it).
    if (!own.isEmpty() && m_rows.size() > own.size()) {
        const QString key = endpointKey(m_rows.at(own.first()).result().target);
        for (int i = 0; i < m_rows.size(); ++i) {
            const ProbeResult &r = m_rows.at(i).result();
            if (isFleetRow(r) && endpointKey(r.target) == key)
                rows << i;
        }
    }
    for (const int stored : std::as_const(rows)) {
        const int row = m_position.at(stored); // the index holds stored rows, not model rows
        emit dataChanged(index(row, StatusColumn), index(row, StatusColumn),
                         {Qt::DisplayRole, Qt::ToolTipRole});
    }
}

qint64 EndpointTableModel::alertTargetOf(const ProbeResult &result) const {
    if (!isFleetRow(result))
        return result.target.id;
    return m_table.targetByEndpoint.value(endpointKey(result.target), 0);
}

int EndpointTableModel::rowFor(const ProbeResult &result, const QSet<int> &taken) const {
    const QList<int> candidates = m_rowsByTarget.values(result.target.id);
    // The row of the same address first; else the target's placeholder row gives way, unless
    // another address already took it.
    for (const bool exact : {true, false}) {
        for (int i : candidates) {
            const Row &row = m_rows.at(i);
            const bool matches = exact ? row.probed && row.result().address == result.address
                                       : (!row.probed || row.result().address.isEmpty()) &&
                                             !taken.contains(i);
            if (matches)
                return i;
        }
    }
    return -1;
}

QList<int> EndpointTableModel::supersededRows(qint64 targetId) const {
    const QList<int> rows = m_rowsByTarget.values(targetId);
    const bool anyProbed =
        std::any_of(rows.cbegin(), rows.cend(), [&](int i) { return m_rows.at(i).probed; });
    QList<int> superseded;
    for (const int j : rows) {
        const Row &row = m_rows.at(j);
        if (!row.probed) {
            if (anyProbed)
                superseded << j;
            continue;
        }
        // A newer round that did not return this row's address (or, for a DNS failure row,
        // that did resolve; or that failed to resolve, for an address row).
        for (const int k : rows) {
            const Row &newer = m_rows.at(k);
            if (newer.probed && !newer.result().roundAddresses.isEmpty() &&
                row.result().probedAt < newer.result().probedAt &&
                !newer.result().roundAddresses.contains(row.result().address)) {
                superseded << j;
                break;
            }
        }
    }
    if (superseded.size() == rows.size())
        return {}; // never every row of a target: it would leave the table
    return superseded;
}

void EndpointTableModel::upsertResult(const ProbeResult &result)
{
    const int i = rowFor(result);
    if (i >= 0)
        replaceRow(i, result, true);
    else
        insertRow(result, true);
    removeStored(supersededRows(result.target.id));
}

void EndpointTableModel::upsertResults(const QList<ProbeResult> &results) {
    if (results.size() < 2 || m_sortColumn < 0) {
        for (const ProbeResult &result : results)
            upsertResult(result);
        return;
    }
    // One layout change for the whole batch: a proxy rebuilds its whole mapping for every moved
    // row (about 1.4 ms each at 100,000 rows), so results are placed together, not one by one.
    // New rows change the row count and are inserted first, each with its own signal. A row
    // is given to one address only, however many addresses of its target the batch holds
    // (a placeholder claimed by the first address is not the second's); a later result for
    // the same row replaces the earlier one, as one by one.
    QList<std::pair<int, const ProbeResult *>> replacements;
    QHash<int, qsizetype> replacementOf; // stored row -> its entry in replacements
    QHash<QPair<qint64, QString>, int> claimed; // (target, address) -> the row it was given
    QSet<int> taken; // rows given to an address; a row given to a DNS failure ("") is not
    QSet<qint64> targets;
    for (const ProbeResult &result : results) {
        targets.insert(result.target.id);
        const QPair<qint64, QString> key{result.target.id, result.address};
        const int i = claimed.contains(key) ? claimed.value(key) : rowFor(result, taken);
        if (i < 0) {
            insertRow(result, true); // found by address from now on
            continue;
        }
        // One by one, an address after a DNS failure takes the failure's row over: so here.
        const QPair<qint64, QString> failure{result.target.id, QString()};
        if (!result.address.isEmpty() && claimed.value(failure, -1) == i)
            claimed.remove(failure);
        claimed.insert(key, i);
        if (!result.address.isEmpty())
            taken.insert(i);
        if (const auto entry = replacementOf.constFind(i); entry != replacementOf.constEnd()) {
            replacements[*entry].second = &result;
        } else {
            replacementOf.insert(i, replacements.size());
            replacements.append({i, &result});
        }
    }
    if (!replacements.isEmpty()) {
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        QList<int> storedOf;
        storedOf.reserve(before.size());
        for (const QModelIndex &index : before)
            storedOf << m_order.at(index.row());
        m_resetting = true; // no per-row signals inside the layout change
        for (const auto &[i, result] : replacements)
            replaceRow(i, *result, true);
        m_resetting = false;
        QModelIndexList after;
        after.reserve(before.size());
        for (int k = 0; k < before.size(); ++k)
            after << index(m_position.at(storedOf.at(k)), before.at(k).column());
        changePersistentIndexList(before, after);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
        // After the layout change, at the rows' new places: filters (and their caches) learn
        // that these rows changed, so a row whose status left the filter leaves the view.
        for (const auto &[i, result] : replacements) {
            const int row = m_position.at(i);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
    // Last, once every row holds its new result: what the rounds no longer return goes.
    QList<int> superseded;
    for (const qint64 id : std::as_const(targets))
        superseded += supersededRows(id);
    removeStored(superseded);
}

bool EndpointTableModel::upsertIfNewer(const ProbeResult &result) {
    const QList<int> candidates = m_rowsByTarget.values(result.target.id);
    if (candidates.isEmpty())
        return false; // removed since: a late result must not bring it back
    for (int i : candidates) {
        const Row &row = m_rows.at(i);
        if (row.probed && row.result().address == result.address &&
            row.result().probedAt >= result.probedAt)
            return false;
    }
    upsertResult(result);
    return true;
}

} // namespace certdash
