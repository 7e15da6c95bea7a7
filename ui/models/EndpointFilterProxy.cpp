#include "EndpointFilterProxy.h"

#include "EndpointTableModel.h"

namespace certdash {

EndpointFilterProxy::EndpointFilterProxy(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(EndpointTableModel::SortRole);
    setDynamicSortFilter(true);
}

void EndpointFilterProxy::setText(const QString &text)
{
    const QString lowered = text.trimmed().toLower();
    if (lowered == m_text)
        return;
    m_text = lowered;
    forgetMatches();
    // One layout change instead of a removal signal per scattered block of rows: a keystroke
    // that hides 90,000 of 100,000 scattered rows is several times cheaper this way.
    invalidate();
}

QList<int> EndpointFilterProxy::needsAttention() {
    return {
        int(Status::Expired), int(Status::NotYetValid),     int(Status::Critical),
        int(Status::Warning), int(Status::RotationOverdue), int(Status::Unreachable),
        int(Status::Timeout), int(Status::HandshakeFailed), EndpointTableModel::TrustFailedStatus};
}

void EndpointFilterProxy::setStatuses(const QSet<int> &statuses)
{
    m_statuses = statuses;
    forgetMatches();
    invalidateFilter();
}

void EndpointFilterProxy::setTag(const QString &tag)
{
    m_tag = tag;
    forgetMatches();
    invalidateFilter();
}

void EndpointFilterProxy::setRowKeys(const std::optional<QSet<EndpointRowKey>> &rows)
{
    m_rows = rows;
    forgetMatches();
    invalidateFilter();
}

void EndpointFilterProxy::setSourceModel(QAbstractItemModel *model) {
    if (m_endpoints)
        disconnect(m_endpoints, nullptr, this, nullptr);
    // Looked up once: the filter reads every row's search text on every keystroke.
    m_endpoints = qobject_cast<EndpointTableModel *>(model);
    m_matchesValid = false;
    if (m_endpoints) {
        // Connected before the base class connects its own handlers, so the matches of changed
        // rows are forgotten before it asks filterAcceptsRow() about them.
        connect(m_endpoints, &QAbstractItemModel::dataChanged, this,
                [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
                        const int id = m_endpoints->rowId(row);
                        if (id < m_matches.size())
                            m_matches[id] = -1;
                    }
                });
        // Removing rows renumbers the ids after them; a reset replaces them all.
        connect(m_endpoints, &QAbstractItemModel::rowsRemoved, this,
                [this] { m_matchesValid = false; });
        connect(m_endpoints, &QAbstractItemModel::modelReset, this,
                [this] { m_matchesValid = false; });
    }
    QSortFilterProxyModel::setSourceModel(model);
}

namespace {
// Every word must appear somewhere in the row: "prod expired" narrows, it does not widen.
bool containsWords(const QString &haystack, const QList<QStringView> &words) {
    for (const QStringView word : words) {
        if (!haystack.contains(word))
            return false;
    }
    return true;
}
} // namespace

bool EndpointFilterProxy::acceptsId(int id) const {
    const EndpointTableModel &model = *m_endpoints;
    const ProbeResult &result = model.resultOfId(id);
    if (!m_statuses.isEmpty()) {
        const bool probed = model.hasResultOfId(id);
        const bool trustFailed = probed && trustLevelOf(result) == TrustLevel::Failed;
        if (!m_statuses.contains(probed ? int(result.status)
                                        : EndpointTableModel::NotProbedStatus) &&
            !(trustFailed && m_statuses.contains(EndpointTableModel::TrustFailedStatus)))
            return false;
    }
    if (!m_tag.isEmpty() && !result.target.tags.contains(m_tag))
        return false;
    if (m_rows && !m_rows->contains({result.target.id, result.address}))
        return false;
    return m_text.isEmpty() || containsWords(model.searchTextOfId(id),
                                             QStringView(m_text).split(u' ', Qt::SkipEmptyParts));
}

void EndpointFilterProxy::sort(int column, Qt::SortOrder order) {
    if (m_endpoints)
        m_endpoints->sort(column, order);
    else
        QSortFilterProxyModel::sort(column, order);
}

bool EndpointFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (const EndpointTableModel *model = m_endpoints) {
        if (!m_matchesValid) {
            m_matches.resize(model->rowIdCount());
            for (int id = 0; id < m_matches.size(); ++id)
                m_matches[id] = acceptsId(id) ? 1 : 0;
            m_matchesValid = true;
        }
        const int id = model->rowId(sourceRow);
        if (id >= m_matches.size())
            m_matches.resize(id + 1, -1); // rows added since
        if (m_matches.at(id) < 0)
            m_matches[id] = acceptsId(id) ? 1 : 0;
        return m_matches.at(id) > 0;
    }
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_statuses.isEmpty() &&
        !m_statuses.contains(index.data(EndpointTableModel::StatusRole).toInt()) &&
        !(m_statuses.contains(EndpointTableModel::TrustFailedStatus) &&
          index.data(EndpointTableModel::TrustLevelRole).toString() ==
              trustLevelKey(TrustLevel::Failed)))
        return false;
    if (!m_tag.isEmpty()
        && !index.data(EndpointTableModel::TagsRole).toStringList().contains(m_tag))
        return false;
    if (m_rows)
        return false; // rows are known by target and address only in an endpoint table
    return m_text.isEmpty() || containsWords(index.data(EndpointTableModel::SearchRole).toString(),
                                             QStringView(m_text).split(u' ', Qt::SkipEmptyParts));
}

} // namespace certdash
