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
// status; sorts by the model's numeric sort role so that days left sorts as a number.
class EndpointFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EndpointFilterProxy(QObject *parent = nullptr);

    void setText(const QString &text);
    // Empty: every status. -1 stands for "not probed yet".
    void setStatuses(const QSet<int> &statuses);
    // Empty: every tag.
    void setTag(const QString &tag);
    // Only these rows (a bar of the expiry calendar, a point of the rotation health chart), on
    // top of the other filters; nullopt shows every row again.
    void setRowKeys(const std::optional<QSet<EndpointRowKey>> &rows);
    bool filtersRowKeys() const { return m_rows.has_value(); }
    void setSourceModel(QAbstractItemModel *model) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    class EndpointTableModel *m_endpoints = nullptr; // the source, when it is one
    QString m_text;
    QSet<int> m_statuses;
    QString m_tag;
    std::optional<QSet<EndpointRowKey>> m_rows;
};

} // namespace certdash
