// Fleet rows in the table: results a Prometheus + blackbox_exporter fleet probed, read through
// FleetReader. They sit beside CertDash's own rows (Source column), are sorted and filtered like
// them, and say how old their data is. EndpointTableModel.cpp holds the table itself.
#include "EndpointTableModel.h"

#include <QUrl>

#include <algorithm>

namespace certdash {

QString EndpointTableModel::sourceLabel(const QString &source)
{
    if (source.isEmpty())
        return tr("CertDash");
    const QUrl url(source);
    if (url.host().isEmpty())
        return source.left(60);
    return url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
}

QString EndpointTableModel::ageInWords(qint64 seconds)
{
    seconds = std::max<qint64>(seconds, 0);
    if (seconds < 60)
        return tr("%n s", nullptr, int(seconds));
    if (seconds < 2 * 3600)
        return tr("%n min", nullptr, int(seconds / 60));
    if (seconds < 2 * 86400)
        return tr("%n h", nullptr, int(seconds / 3600));
    return tr("%n day(s)", nullptr, int(std::min<qint64>(seconds / 86400, 1000000)));
}

QString EndpointTableModel::fleetNote(const Row &row) const
{
    const ProbeResult &r = row.result;
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

void EndpointTableModel::setFleetRows(const QString &source, const QList<ProbeResult> &rows)
{
    QSet<QPair<qint64, QString>> now;
    now.reserve(rows.size());
    for (const ProbeResult &r : rows)
        now.insert({r.target.id, r.address});
    QList<int> stored;
    QSet<QPair<qint64, QString>> before;
    for (int i = 0; i < m_rows.size(); ++i) {
        const ProbeResult &r = m_rows.at(i).result;
        if (r.source == source) {
            stored << i;
            before.insert({r.target.id, r.address});
        }
    }
    if (before == now && stored.size() == rows.size()) {
        // The same rows with newer data: replaced in place, one layout change, selection kept.
        upsertResults(rows);
        return;
    }
    // Rows came or went: one reset (10,000 rows appended and sorted once, not moved one by one).
    beginResetModel();
    m_resetting = true;
    removeStored(stored);
    for (const ProbeResult &r : rows)
        appendRow(m_table, r, true);
    m_order = sortedOrder(m_table, m_sortColumn, m_sortOrder);
    m_table.sortColumn = m_sortColumn;
    m_table.sortOrder = m_sortOrder;
    rebuildPositions(m_table);
    rebuildTargetIndex();
    m_resetting = false;
    endResetModel();
}

void EndpointTableModel::removeFleetSource(const QString &source)
{
    if (source.isEmpty())
        return;
    QList<int> stored;
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).result.source == source)
            stored << i;
    }
    removeStored(stored);
}

} // namespace certdash
