#pragma once

#include "storage/ChangeFeed.h"

#include <QAbstractTableModel>
#include <QList>

namespace certdash {

// What changed in the store (storage/ChangeFeed), newest first, for the window's Changes view:
// when it was first seen (local time), the kind in words, target, address and before -> after.
class ChangesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        FirstSeenColumn,
        KindColumn,
        TargetColumn,
        AddressColumn,
        ChangeColumn,
        ColumnCount
    };
    // Qt::UserRole + 1 on any cell: the change's target id (0 when the target is gone).
    static constexpr int TargetIdRole = Qt::UserRole + 1;

    explicit ChangesModel(QObject *parent = nullptr);

    // changes oldest first, as changesBetween() gives them.
    void setChanges(const QList<Change> &changes);
    const Change &changeAt(int row) const { return m_changes.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // "before -> after" in words: fingerprints shortened, statuses and findings translated.
    static QString changeText(const Change &change);

private:
    QList<Change> m_changes; // newest first
};

} // namespace certdash
