// Fleet rows in the table: results a Prometheus + blackbox_exporter fleet probed, read through
// FleetReader. They sit beside CertDash's own rows (Source column), are sorted and filtered like
// them, and say how old their data is. EndpointTableModel.cpp holds the table itself.
#include "EndpointTableModel.h"

#include <QUrl>

#include <algorithm>

namespace certdash {

QString EndpointTableModel::sourceLabel(const QString &source) {
    if (source.isEmpty())
        return tr("CertDash");
    const QUrl url(source);
    if (url.host().isEmpty())
        return source.left(60);
    return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
}

QString EndpointTableModel::ageInWords(qint64 seconds) {
    seconds = std::max<qint64>(seconds, 0);
    if (seconds < 60)
        return tr("%n s", nullptr, int(seconds));
    if (seconds < 2 * 3600)
        return tr("%n min", nullptr, int(seconds / 60));
    if (seconds < 2 * 86400)
        return tr("%n h", nullptr, int(seconds / 3600));
    return tr("%n day(s)", nullptr, int(std::min<qint64>(seconds / 86400, 1000000)));
}

QString EndpointTableModel::fleetNote(const Row &row) const {
    const ProbeResult &r = row.result();
    if (!isFleetRow(r) || !r.probedAt.isValid())
        return {};
    const QString note = tr("Fleet row from %1, read %2 ago (its newest probe sample).")
                             .arg(sourceLabel(r.source), ageInWords(r.probedAt.secsTo(m_now())));
    if (!isStale(row))
        return note;
    return note + u'\n' +
           tr("Stale: older than a few read intervals; the fleet has not probed it since, or "
              "the Prometheus could not be read.");
}

EndpointTableModel::FleetBatch EndpointTableModel::prepareFleet(QList<ProbeResult> rows) {
    FleetBatch batch;
    batch.rows.reserve(rows.size());
    batch.search.reserve(rows.size());
    for (auto &numbers : batch.numbers)
        numbers.reserve(rows.size());
    for (ProbeResult &r : rows) {
        batch.search << makeSearch(r);
        const Numbers numbers = makeNumbers(r, true);
        for (int key = 0; key < NumberKeyCount; ++key)
            batch.numbers[key] << numbers[key];
        batch.rows << makeRow(std::move(r), true);
    }
    return batch;
}

EndpointTableModel::Replaced EndpointTableModel::setFleetRows(const QString &source,
                                                              FleetBatch &&batch) {
    static_assert(NumberKeyCount == 4);
    // The source's stored rows in stored order. That is the order of its last batch: a batch is
    // appended in its order, replaced in place, and removing other rows keeps the order of the
    // rest. So "the same rows again" is a walk over both lists, no hashing.
    QList<int> stored;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).result().source == source)
            stored << i;
    }
    bool same = !batch.rows.isEmpty() && stored.size() == batch.rows.size();
    for (qsizetype k = 0; same && k < stored.size(); ++k) {
        const ProbeResult &was = m_rows.at(stored.at(k)).result();
        const ProbeResult &now = batch.rows.at(k).result();
        same = was.target.id == now.target.id && was.address == now.address;
    }
    Replaced replaced;
    replaced.reserve(stored.size());
    if (same) {
        // The same rows with newer data: replaced in place and sorted once, one layout change,
        // so that the selection and the scroll position stay.
        emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList persistent = persistentIndexList();
        QList<int> persistentStored;
        persistentStored.reserve(persistent.size());
        for (const QModelIndex &index : persistent)
            persistentStored << m_order.at(index.row());
        // Sorted by a number that no row changed (days left, expiry and status change seldom
        // between reads): the order stands as it is.
        const std::optional<int> sortKey = numberKeyOf(m_sortColumn);
        bool orderStands = m_sortColumn < 0 || sortKey.has_value();
        for (qsizetype k = 0; k < batch.rows.size(); ++k) {
            const int i = stored.at(k);
            account(m_table, m_rows.at(i), -1);
            replaced << std::move(m_rows[i].data);
            m_rows[i] = std::move(batch.rows[k]);
            m_search[i] = std::move(batch.search[k]);
            if (sortKey && m_numbers[*sortKey].at(i) != batch.numbers[*sortKey].at(k))
                orderStands = false;
            for (int key = 0; key < NumberKeyCount; ++key)
                m_numbers[key][i] = batch.numbers[key].at(k);
            account(m_table, m_rows.at(i), 1);
        }
        if (!orderStands) {
            m_order = sortedOrder(m_table, m_sortColumn, m_sortOrder);
            rebuildPositions(m_table);
        }
        QModelIndexList after;
        after.reserve(persistent.size());
        for (qsizetype k = 0; k < persistent.size(); ++k)
            after << index(m_position.at(persistentStored.at(k)), persistent.at(k).column());
        changePersistentIndexList(persistent, after);
        emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
        // Filters learn that the rows changed (a status that left the filter leaves the view).
        if (!m_order.isEmpty())
            emit dataChanged(index(0, 0), index(int(m_order.size()) - 1, ColumnCount - 1));
        return replaced;
    }
    // Rows came or went: one reset, the new rows appended as they were prepared and sorted once.
    beginResetModel();
    m_resetting = true;
    for (const int i : std::as_const(stored)) // shared: removeStored() still counts their tags away
        replaced << m_rows.at(i).data;
    removeStored(stored);
    for (qsizetype k = 0; k < batch.rows.size(); ++k) {
        m_search << std::move(batch.search[k]);
        for (int key = 0; key < NumberKeyCount; ++key)
            m_numbers[key] << batch.numbers[key].at(k);
        m_rows << std::move(batch.rows[k]);
        account(m_table, m_rows.last(), 1);
    }
    m_order = sortedOrder(m_table, m_sortColumn, m_sortOrder);
    m_table.sortColumn = m_sortColumn;
    m_table.sortOrder = m_sortOrder;
    rebuildPositions(m_table);
    rebuildTargetIndex();
    m_resetting = false;
    endResetModel();
    return replaced;
}

void EndpointTableModel::removeFleetSource(const QString &source) {
    if (source.isEmpty())
        return;
    QList<int> stored;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).result().source == source)
            stored << i;
    }
    removeStored(stored);
}

} // namespace certdash
