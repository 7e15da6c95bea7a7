#pragma once

#include "domain/ProbeResult.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QMap>
#include <QSet>

#include <array>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

namespace certdash {

// One row per target address: the latest result of each (target, address), or one "not probed
// yet" row for a target without results. Holds no probing or SQL logic: the window feeds it.
class EndpointTableModel : public QAbstractTableModel
{
    Q_OBJECT

    struct Row {
        // Shared and immutable: a ProbeResult is 1.5 KB, and moving 10,000 of them (a fleet
        // read swapped in) or freeing them on the UI thread took longer than a frame.
        std::shared_ptr<const ProbeResult> data;
        // data->target is always set; status meaningful only when probed
        const ProbeResult &result() const { return *data; }
        bool probed = false;
        // Worked out once, when the row is made (makeRow()), so that adding or taking away
        // 10,000 rows' share of the counts costs integers, not a trust judgement each.
        bool untrusted = false; // clients refuse its certificate beyond its expiry
        bool attention = false; // "Needs attention" shows it
    };
    static Row makeRow(ProbeResult result, bool probed);

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
        SourceColumn, // "CertDash" for own probes, the Prometheus host for fleet rows
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
    // For the status filter: rows whose trust level is failed (see EndpointFilterProxy).
    static constexpr int TrustFailedStatus = -2;
    // The row's trust level key (trusted|accepted|weak|failed), "" without a certificate.
    static constexpr int TrustLevelRole = Qt::UserRole + 5;
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
        // Rows are stored in the order they were added; order maps a model row to its stored
        // row (and position back), so that sorting and keeping a row in place as its result
        // changes move integers, never the kilobyte-sized rows.
        QList<Row> rows;
        QList<QString> search;
        std::array<QList<qint64>, 4> numbers;
        QList<int> order;
        QList<int> position;
        QMultiHash<qint64, int> rowsByTarget; // target id -> stored rows
        QHash<QString, int> tagCounts;
        QHash<QString, qint64> targetByEndpoint;
        std::array<int, 10> statusCounts{};
        int trustFailed = 0; // rows whose clients refuse the certificate (beyond its expiry)
        int needsAttention = 0; // probed rows not OK, or OK but not trusted
        int sortColumn = -1;
        Qt::SortOrder sortOrder = Qt::AscendingOrder;
    };
    // The rows come already sorted by sortColumn (-1: as read), the model's own sort: showing
    // them on the UI thread is then a swap and one reset.
    // fleet: fleet rows shown with them (each with its source set), so that a reload of the
    // store's rows does not cost the UI thread a second swap of 10,000 fleet rows.
    static Prepared prepare(QList<Target> targets, QList<ProbeResult> latest, int sortColumn = -1,
                            Qt::SortOrder order = Qt::AscendingOrder,
                            const QList<QList<ProbeResult>> &fleet = {});
    // Shows prepared and returns the rows it replaced, for the caller to free where it suits.
    // Rows prepared in another order than the model's current sort are sorted here. newer are
    // results that may be missing from prepared (they arrived while it was read): each goes in
    // as upsertIfNewer() puts it, within the same reset.
    Prepared setPrepared(Prepared prepared, const QList<ProbeResult> &newer = {});

    // The model sorts itself, so that a filter proxy on top stays unsorted and a reset costs it
    // only its O(n) mapping. Numbers sort as numbers with failures and unprobed rows last in
    // either order; text columns compare their text; ties keep the order rows were added in.
    // Rows stay sorted as results arrive (moved, or inserted where they belong).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    void setInventory(const QList<Target> &targets, const QList<ProbeResult> &latest);
    // Replaces the row of (target id, address) or adds it: every address of a target has a row
    // of its own. A target's placeholder row (no result yet, or a DNS failure with no address)
    // becomes the row of its first address. When the result says which addresses its round
    // probed (roundAddresses), the target's older rows outside that set go: addresses the name
    // no longer resolves to, a DNS failure once addresses resolve, or every address once
    // resolution fails.
    void upsertResult(const ProbeResult &result);
    // Several results at once, as a scan delivers them (in any order, any number of addresses
    // per target): the same rows as upsertResult() one by one, with one layout change instead
    // of one row move each.
    void upsertResults(const QList<ProbeResult> &results);
    // upsertResult() for a target the table has, unless its row holds a result at least as new:
    // results that arrived while a snapshot of the store was read survive its swap.
    bool upsertIfNewer(const ProbeResult &result);
    bool hasTarget(qint64 id) const { return m_rowsByTarget.contains(id); }
    // Drops every row of the target (its addresses need not be adjacent).
    void removeTarget(qint64 id);
    // Shows an edited target on its rows without waiting for a probe; a target the table does
    // not have yet gets a "not probed yet" row.
    void updateTarget(const Target &target);
    void setNow(std::function<QDateTime()> now) { m_now = std::move(now); }
    void setStaleAfterSeconds(qint64 seconds) { m_staleAfter = seconds; }

    // Fleet rows (EndpointTableModelFleet.cpp): results read from a Prometheus, result.source its
    // base URL. Each has a target id below zero of its own (FleetFeed gives them), so that it
    // never replaces, supersedes or edits a row of CertDash's own probes, and a stored target's
    // endpoint key keeps naming the stored target. Replaces every row of source with rows: in
    // place (selection kept) when the same rows come back, else with one reset.
    // Rows a swap took out of the table, for the caller to free where it suits (freeing 10,000
    // rows takes the UI thread milliseconds).
    using Replaced = QList<std::shared_ptr<const ProbeResult>>;
    Replaced setFleetRows(const QString &source, const QList<ProbeResult> &rows)
    {
        return setFleetRows(source, prepareFleet(rows));
    }
    // Fleet rows made ready for the table away from it (reentrant: FleetFeed calls it in the
    // reader's thread), so that the UI thread only moves them in: 10,000 rows in milliseconds.
    class FleetBatch {
    public:
        qsizetype size() const { return rows.size(); }

    private:
        friend class EndpointTableModel;
        QList<Row> rows;
        QList<QString> search;
        std::array<QList<qint64>, 4> numbers;
    };
    static FleetBatch prepareFleet(QList<ProbeResult> rows);
    // Returns the rows it replaced; what is left of batch is the caller's to free.
    Replaced setFleetRows(const QString &source, FleetBatch &&batch);
    // Drops every row of source (it was removed from Settings > Fleet).
    void removeFleetSource(const QString &source);
    // A fleet row is stale when its newest sample is older than this (per source; 0 never).
    void setFleetStaleAfterSeconds(const QString &source, qint64 seconds)
    {
        m_fleetStaleAfter.insert(source, seconds);
    }
    static bool isFleetRow(const ProbeResult &result) { return !result.source.isEmpty(); }
    // "CertDash", or the Prometheus as host:port.
    static QString sourceLabel(const QString &source);
    // "4 min", "2 h", "3 days": how old a fleet row's data is, for "read 4 min ago".
    static QString ageInWords(qint64 seconds);
    // What the status cell says about a target whose alerts are snoozed ("" when they are not).
    // Asked only for the cells painted or hovered, so it costs nothing per row.
    void setSnoozeNote(std::function<QString(qint64 targetId)> note)
    {
        m_snoozeNote = std::move(note);
    }
    // Repaints the status cells of a target whose snooze was set or cleared (its fleet rows too).
    void refreshSnooze(qint64 targetId);
    // The stored target whose alerts (and snooze) a row's are: its own, or for a fleet row the
    // stored target with its endpoint key (0: none).
    qint64 alertTargetOf(const ProbeResult &result) const;

    const ProbeResult &resultAt(int row) const { return rowAt(row).result(); }
    const Target &targetAt(int row) const { return rowAt(row).result().target; }
    bool hasResult(int row) const { return rowAt(row).probed; }
    // SearchRole without a QVariant: the filter reads it for every row on every keystroke.
    const QString &searchText(int row) const { return m_search.at(m_order.at(row)); }
    // Where a row is stored: an id that sorting and moving rows keep, until rows are removed or
    // the table is replaced. Rows are stored, and their search texts allocated, in the order
    // the table was prepared in, so a filter that reads the texts by id reads memory front to
    // back: several times faster than in the (sorted) row order at 100,000 rows.
    int rowId(int row) const { return m_order.at(row); }
    int rowIdCount() const { return int(m_rows.size()); }
    const QString &searchTextOfId(int id) const { return m_search.at(id); }
    const ProbeResult &resultOfId(int id) const { return m_rows.at(id).result(); }
    bool hasResultOfId(int id) const { return m_rows.at(id).probed; }
    // SortRole for the numeric columns without a QVariant; nullopt for text columns. Rows with no
    // days left or no expiry (failures, not probed yet) give NoNumber.
    static constexpr qint64 NoNumber = std::numeric_limits<qint64>::max();
    std::optional<qint64> sortNumber(int row, int column) const;
    QList<Target> targetsAt(const QList<int> &rows) const;
    // The stored target with this endpoint identity (endpointKey()), if the table has it.
    std::optional<Target> targetWithEndpoint(const QString &key) const;
    // Every stored target the table has, by endpointKey() (implicitly shared: a copy is cheap).
    const QHash<QString, qint64> &storedTargetsByEndpoint() const {
        return m_table.targetByEndpoint;
    }
    // Rows per status (NotProbedStatus for "not probed yet"), kept as rows change.
    QMap<int, int> statusCounts() const;
    // Rows whose trust failed for a reason their status does not already say (trustBeyondExpiry).
    int trustFailedCount() const { return m_table.trustFailed; }
    // Rows the "Needs attention" filter shows: any status but OK, or a certificate clients refuse
    // (an OK expiry with a wrong certificate needs attention as much as an expired one).
    int needsAttentionCount() const { return m_table.needsAttention; }
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
    // The NumberKey a column sorts by; nullopt for text columns.
    static std::optional<int> numberKeyOf(int column);
    static QString makeSearch(const ProbeResult &result);
    static void appendRow(Prepared &table, ProbeResult result, bool probed);
    // Stored rows a and b (a != b) in the order of (column, order); texts, when given, hold the
    // column's text per stored row.
    static bool storedBefore(const Prepared &table, int column, Qt::SortOrder order, int a, int b,
                             const QList<QString> *texts = nullptr);
    static QList<int> sortedOrder(const Prepared &table, int column, Qt::SortOrder order);
    static void rebuildPositions(Prepared &table);
    static int statusSlot(const Row &row) { return row.probed ? int(row.result().status) + 1 : 0; }
    // Adds (sign 1) or takes away (-1) a row's share of the counts and indexes.
    static void account(Prepared &table, const Row &row, int sign);
    const Row &rowAt(int row) const { return m_rows.at(m_order.at(row)); }
    // Appends a stored row and shows it where the sort puts it.
    void insertRow(ProbeResult result, bool probed);
    // Replaces stored row i, emits dataChanged and moves it where the sort now puts it.
    void replaceRow(int i, ProbeResult result, bool probed);
    int sortedPosition(int stored, int first, int last) const;
    // Stored row of this result, -1 for a new one; a placeholder in taken was already given to
    // another address (of the same batch) and is not offered again.
    int rowFor(const ProbeResult &result, const QSet<int> &taken = {}) const;
    // Stored rows of the target that a newer row's round supersedes (see upsertResult()).
    QList<int> supersededRows(qint64 targetId) const;
    // Removes stored rows of targets that keep other rows, renumbering the stored ids.
    void removeStored(QList<int> stored);
    // Every column but the last probed time (which depends on now) is a function of the row.
    static QString plainText(const Row &row, int column);
    QString text(const Row &row, int column) const;
    // What the fleet row says about its data's age ("" for own probes).
    QString fleetNote(const Row &row) const;
    bool isStale(const Row &row) const;
    void rebuildTargetIndex();

    // m_table.rows, with search and numbers parallel to it; rowsByTarget maps target id -> its
    // stored rows so that upserts stay O(addresses); order and position map model rows.
    Prepared m_table;
    QList<Row> &m_rows = m_table.rows;
    QList<QString> &m_search = m_table.search;
    std::array<QList<qint64>, NumberKeyCount> &m_numbers = m_table.numbers;
    QList<int> &m_order = m_table.order;
    QList<int> &m_position = m_table.position;
    QMultiHash<qint64, int> &m_rowsByTarget = m_table.rowsByTarget;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    bool m_resetting = false; // row changes inside a reset emit nothing of their own
    std::function<QDateTime()> m_now = [] { return QDateTime::currentDateTimeUtc(); };
    qint64 m_staleAfter = 0; // 0: never stale
    QHash<QString, qint64> m_fleetStaleAfter; // per fleet source
    std::function<QString(qint64)> m_snoozeNote;
};

} // namespace certdash
