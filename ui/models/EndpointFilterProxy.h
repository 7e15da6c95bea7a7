#pragma once

#include "domain/Status.h"

#include <QPair>
#include <QSet>
#include <QSortFilterProxyModel>

#include <optional>

namespace certdash {

// A row of the endpoint table: target id and address.
using EndpointRowKey = QPair<qint64, QString>;

// Filters the endpoint table by text (host, subject, issuer, SANs, owner, tags, ...) and by
// status. Over an EndpointTableModel it never sorts itself: sort() asks the model, which keeps its
// rows sorted, so that reloading 100,000 rows costs this proxy its O(n) mapping, not a sort of
// its own on the UI thread (28-41 ms).
class EndpointFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EndpointFilterProxy(QObject *parent = nullptr);

    void setText(const QString &text);
    // Empty: every status. -1 stands for "not probed yet", -2 for "trust failed" (whatever the
    // expiry status: a row passes when its status or its trust failure is in the set).
    void setStatuses(const QSet<int> &statuses);
    // "Needs attention": every status but ok and not probed, and trust failures (-2).
    static QList<int> needsAttention();
    // Empty: every tag.
    void setTag(const QString &tag);
    // Only these rows (a bar of the expiry calendar, a point of the rotation health chart), on
    // top of the other filters; nullopt shows every row again.
    void setRowKeys(const std::optional<QSet<EndpointRowKey>> &rows);
    bool filtersRowKeys() const { return m_rows.has_value(); }
    void setSourceModel(QAbstractItemModel *model) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool acceptsId(int id) const;
    void forgetMatches() { m_matchesValid = false; }

    class EndpointTableModel *m_endpoints = nullptr; // the source, when it is one
    // Whether each stored row (by EndpointTableModel::rowId) passes the filters: -1 not known
    // yet. Filled front to back on the first row asked for after a filter or the rows change.
    mutable QList<qint8> m_matches;
    mutable bool m_matchesValid = false;
    QString m_text;
    QSet<int> m_statuses;
    QString m_tag;
    std::optional<QSet<EndpointRowKey>> m_rows;
};

} // namespace certdash
