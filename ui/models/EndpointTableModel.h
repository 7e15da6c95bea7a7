#pragma once

#include "domain/ProbeResult.h"

#include <QAbstractTableModel>
#include <QHash>

#include <functional>
#include <optional>

namespace certdash {

// One row per target address: the latest result of each (target, address), or one "not probed
// yet" row for a target without results. Holds no probing or SQL logic: the window feeds it.
class EndpointTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        StatusColumn,
        TargetColumn,
        AddressColumn,
        SniColumn,
        DaysLeftColumn,
        ExpiresColumn,
        LimitingColumn,
        IssuerColumn,
        KeyColumn,
        TrustColumn,
        OwnerColumn,
        TagsColumn,
        ProbedColumn,
        ColumnCount
    };
    // Numbers and times for sorting (days left sorts as a number; no result sorts last).
    static constexpr int SortRole = Qt::UserRole + 1;
    // Lower-cased text the filter searches: host, name, SNI, address, subject, issuer, SANs,
    // owner, tags. Precomputed per row so that a keystroke over 100,000 rows stays cheap.
    static constexpr int SearchRole = Qt::UserRole + 2;
    // The row's Status as int, or -1 when not probed yet.
    static constexpr int StatusRole = Qt::UserRole + 3;
    // The target's tags (QStringList).
    static constexpr int TagsRole = Qt::UserRole + 4;

    // Every tag in the table, sorted (for the tag filter).
    QStringList allTags() const;

    explicit EndpointTableModel(QObject *parent = nullptr);

    void setInventory(const QList<Target> &targets, const QList<ProbeResult> &latest);
    // Replaces the row of (target id, address) or adds it; a target's placeholder row (no result
    // yet, or a DNS failure with no address) gives way to its per-address rows.
    void upsertResult(const ProbeResult &result);
    void setNow(std::function<QDateTime()> now) { m_now = std::move(now); }
    void setStaleAfterSeconds(qint64 seconds) { m_staleAfter = seconds; }

    const ProbeResult &resultAt(int row) const { return m_rows.at(row).result; }
    bool hasResult(int row) const { return m_rows.at(row).probed; }
    // SearchRole without a QVariant: the filter reads it for every row on every keystroke.
    const QString &searchText(int row) const { return m_rows.at(row).search; }
    // SortRole for the numeric columns without a QVariant; nullopt for text columns.
    std::optional<qint64> sortNumber(int row, int column) const;
    QList<Target> targetsAt(const QList<int> &rows) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    struct Row
    {
        ProbeResult result; // result.target is always set; status meaningful only when probed
        bool probed = false;
        QString search;
    };
    static Row makeRow(const ProbeResult &result, bool probed);
    QString text(const Row &row, int column) const;
    bool isStale(const Row &row) const;

    QList<Row> m_rows;
    QMultiHash<qint64, int> m_rowsByTarget; // target id -> its rows: upserts stay O(addresses)
    std::function<QDateTime()> m_now = [] { return QDateTime::currentDateTimeUtc(); };
    qint64 m_staleAfter = 0; // 0: never stale
};

} // namespace certdash
