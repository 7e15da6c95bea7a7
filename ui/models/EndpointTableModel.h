#pragma once

#include "domain/ProbeResult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QMap>

#include <array>
#include <functional>
#include <limits>
#include <optional>

namespace certdash {

// One row per target address: the latest result of each (target, address), or one "not probed
// yet" row for a target without results. Holds no probing or SQL logic: the window feeds it.
class EndpointTableModel : public QAbstractTableModel
{
    Q_OBJECT

    struct Row {
        ProbeResult result; // result.target is always set; status meaningful only when probed
        bool probed = false;
    };

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
    // The row's Status as int, or NotProbedStatus.
    static constexpr int StatusRole = Qt::UserRole + 3;
    static constexpr int NotProbedStatus = -1;
    // The target's tags (QStringList).
    static constexpr int TagsRole = Qt::UserRole + 4;

    // Every tag in the table, sorted (for the tag filter).
    QStringList allTags() const;

    explicit EndpointTableModel(QObject *parent = nullptr);

    // A whole table built away from the model (prepare() is reentrant: the dashboard calls it
    // in the store reader's thread) and swapped in by setPrepared() with one reset, so that
    // the UI thread only swaps pointers for 100,000 rows.
    class Prepared {
    public:
        qsizetype size() const { return rows.size(); }

    private:
        friend class EndpointTableModel;
        QList<Row> rows;
        QList<QString> search;
        std::array<QList<qint64>, 4> numbers;
        QMultiHash<qint64, int> rowsByTarget;
        QHash<QString, int> tagCounts;
        QHash<QString, qint64> targetByEndpoint;
        std::array<int, 10> statusCounts{};
    };
    // With a numeric sortColumn, the rows come already in the order a proxy sorting by it (as
    // EndpointFilterProxy does) will put them: its sort on the UI thread then has little to do.
    static Prepared prepare(QList<Target> targets, QList<ProbeResult> latest, int sortColumn = -1,
                            Qt::SortOrder order = Qt::AscendingOrder);
    // Shows prepared and returns the rows it replaced, for the caller to free where it suits.
    Prepared setPrepared(Prepared prepared);

    void setInventory(const QList<Target> &targets, const QList<ProbeResult> &latest);
    // Replaces the row of (target id, address) or adds it; a target's placeholder row (no result
    // yet, or a DNS failure with no address) gives way to its per-address rows.
    void upsertResult(const ProbeResult &result);
    // Drops every row of the target (its addresses need not be adjacent).
    void removeTarget(qint64 id);
    // Shows an edited target on its rows without waiting for a probe; a target the table does
    // not have yet gets a "not probed yet" row.
    void updateTarget(const Target &target);
    void setNow(std::function<QDateTime()> now) { m_now = std::move(now); }
    void setStaleAfterSeconds(qint64 seconds) { m_staleAfter = seconds; }
    // What the status cell says about a target whose alerts are snoozed ("" when they are not).
    // Asked only for the cells painted or hovered, so it costs nothing per row.
    void setSnoozeNote(std::function<QString(qint64 targetId)> note)
    {
        m_snoozeNote = std::move(note);
    }
    // Repaints the status cells of a target whose snooze was set or cleared.
    void refreshSnooze(qint64 targetId);

    const ProbeResult &resultAt(int row) const { return m_rows.at(row).result; }
    const Target &targetAt(int row) const { return m_rows.at(row).result.target; }
    bool hasResult(int row) const { return m_rows.at(row).probed; }
    // SearchRole without a QVariant: the filter reads it for every row on every keystroke.
    const QString &searchText(int row) const { return m_search.at(row); }
    // SortRole for the numeric columns without a QVariant; nullopt for text columns. Rows with no
    // days left or no expiry (failures, not probed yet) give NoNumber.
    static constexpr qint64 NoNumber = std::numeric_limits<qint64>::max();
    std::optional<qint64> sortNumber(int row, int column) const;
    QList<Target> targetsAt(const QList<int> &rows) const;
    // The stored target with this endpoint identity (endpointKey()), if the table has it.
    std::optional<Target> targetWithEndpoint(const QString &key) const;
    // Rows per status (NotProbedStatus for "not probed yet"), kept as rows change.
    QMap<int, int> statusCounts() const;
    // The newest probedAt of any row; null when nothing was probed.
    QDateTime newestProbe() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    // What sorting and filtering read is kept apart from the rows, one array per key: a
    // ProbeResult is over a kilobyte, and a sort's 1.7 million comparisons over 100,000 rows
    // would mostly wait for memory. A sort by days left reads one 800 KB array.
    enum NumberKey { StatusKey, DaysLeftKey, ExpiresKey, ProbedKey, NumberKeyCount };
    using Numbers = std::array<qint64, NumberKeyCount>;
    static Numbers makeNumbers(const ProbeResult &result, bool probed);
    static QString makeSearch(const ProbeResult &result);
    static void appendRow(Prepared &table, ProbeResult result, bool probed);
    static void sortRows(Prepared &table, int column, Qt::SortOrder order);
    static int statusSlot(const Row &row) { return row.probed ? int(row.result.status) + 1 : 0; }
    // Adds (sign 1) or takes away (-1) a row's share of the counts and indexes.
    static void account(Prepared &table, const Row &row, int sign);
    void appendRow(ProbeResult result, bool probed);
    void replaceRow(int row, ProbeResult result, bool probed); // emits dataChanged
    QString text(const Row &row, int column) const;
    bool isStale(const Row &row) const;
    void rebuildTargetIndex();

    // m_table.rows, with search and numbers parallel to it; rowsByTarget maps target id -> its
    // rows so that upserts stay O(addresses).
    Prepared m_table;
    QList<Row> &m_rows = m_table.rows;
    QList<QString> &m_search = m_table.search;
    std::array<QList<qint64>, NumberKeyCount> &m_numbers = m_table.numbers;
    QMultiHash<qint64, int> &m_rowsByTarget = m_table.rowsByTarget;
    std::function<QDateTime()> m_now = [] { return QDateTime::currentDateTimeUtc(); };
    qint64 m_staleAfter = 0; // 0: never stale
    std::function<QString(qint64)> m_snoozeNote;
};

} // namespace certdash
