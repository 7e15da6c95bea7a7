#pragma once

#include "domain/ProbeResult.h"
#include "storage/Settings.h"

#include <QMainWindow>
#include <QPair>
#include <QSet>

#include <functional>
#include <memory>

class QLabel;
class QComboBox;
class QMenu;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QSplitter;
class QTableView;
class QTimer;

namespace certdash {

class AlertService;
class ChangesView;
class Database;
class DetailsPane;
class EstateCharts;
class EndpointFilterProxy;
class EndpointTableModel;
class FleetFeed;
class SecretStore;
class InventoryLoader;
class ScanController;
class SnoozeMenu;
struct ImportOutcome;
struct InventorySnapshot;
struct Target;

// The dashboard window: the inventory as a table of target addresses, a details pane, probing
// with progress and Cancel, imports and exports. Probing and storage live in app/; the window
// only wires them to widgets.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(Database &database, Settings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    // For tests and the composition root.
    ScanController *scanController() const { return m_scans; }
    EndpointTableModel *model() const { return m_model; }
    QAction *probeAllAction() const { return m_probeAll; }
    QAction *addAction() const { return m_add; }
    DetailsPane *details() const { return m_details; }
    EstateCharts *estate() const { return m_estate; }
    SnoozeMenu *snoozeMenu() const { return m_snooze; }
    ChangesView *changesView() const { return m_changes; }
    QMenu *tableMenu() const { return m_tableMenu; } // right click on the table's rows
    // Fleet rows read from the Prometheus servers of Settings > Fleet (MainWindowFleet.cpp).
    FleetFeed *fleetFeed() const { return m_fleet; }
    // Where fleet tokens and passwords are read from (default: the OS keychain; not owned).
    // Applies Settings > Fleet again with it.
    void setFleetSecretStore(SecretStore *store);

    // The alert service (TrayIntegration's) that "Snooze alerts" acts through; null disables it.
    void setAlertService(AlertService *alerts);

    // Loads inventory and latest results from the store into the table, in the store reader's
    // thread: the window stays usable and says "Loading..." until inventoryLoaded().
    void reload();
    bool isLoading() const;
    // Offers the sample inventory when the store is empty (first start). Never loads silently.
    // While the table loads, both this and probeIfStale() wait for the load to finish.
    void offerSampleInventory();
    // Imports in the store reader's thread (the window stays usable), then reports the outcome
    // as before (a summary in the status bar, or what went wrong) and reloads.
    void importFile(const QString &path);
    // Writes the rows shown (filtered, in view order) as CSV with the columns of `certdash scan`.
    bool writeReport(const QString &path, QString *error);
    // The same, rendered and written in a thread of its own (100,000 rows take seconds): the
    // rows are taken now, reportExported() says how it went.
    void exportReportInBackground(const QString &path);
    // File > Export audit report: the evidence report of the whole store (HTML, or PDF for a
    // name ending in .pdf) with the changes since `since`. The store is read and the document
    // written in threads of their own; only the two charts are drawn on the UI thread.
    // evidenceExported() says how it went.
    void exportEvidenceInBackground(const QString &path, const QDateTime &since);
    // Probes everything when the newest result is older than the probe interval (or missing).
    void probeIfStale();
    // After Settings were stored (`before`: the values they replaced): applies them, and when
    // the trust anchors changed says that the trust shown was judged against the old ones and
    // offers to probe everything now (a window-modal question, objectName "anchorsChanged").
    void settingsStored(const Settings::Values &before);
    // Selects the row of (target, address), or the target's first row when address is empty or
    // gone, clearing the filters if they hide it (a clicked notification). False when unknown.
    bool selectTarget(qint64 targetId, const QString &address);

signals:
    // The table shows what reload() read.
    void inventoryLoaded();
    // An importFile() is over; imported: the file's targets were stored.
    void importFinished(bool imported);
    // An exportReportInBackground() is over; error is empty when the file was written.
    void reportExported(const QString &path, const QString &error);
    // An exportEvidenceInBackground() is over; error is empty when the file was written.
    void evidenceExported(const QString &path, const QString &error);

protected:
    void closeEvent(class QCloseEvent *event) override;
    // Keyboard between the filter and the table (MainWindowLayout.cpp).
    bool eventFilter(QObject *watched, QEvent *event) override;
    void dragEnterEvent(class QDragEnterEvent *event) override;
    void dropEvent(class QDropEvent *event) override;

private:
    void createActions();
    // MainWindowLayout.cpp: the first-run size, the table/details split, the column widths.
    QSize defaultWindowSize() const;
    void restoreLayout();
    void saveLayout();
    // Sizes the columns to their contents once there are results to measure (the first run's
    // empty table would fix them at the width of their headers), then keeps the user's widths.
    void fitColumnsToResults();
    // A row was opened: the details pane (three lines high before anything was selected) grows
    // to where its charts are readable, unless the user has placed the divider themselves.
    void makeRoomForDetails();
    QList<ProbeResult> shownResults() const;
    void applySettings();
    // MainWindowFleet.cpp: fleet rows, their messages, their details and history.
    void setupFleet();
    void applyFleetSettings(const Settings::Values &values);
    void showFleetDetails(const ProbeResult &row);
    void applySnapshot(const std::shared_ptr<InventorySnapshot> &snapshot);
    void onImported(const ImportOutcome &outcome);
    // How messages name an imported file: its path, or "the sample inventory" for the one built
    // in (never an internal resource path).
    QString importName(const QString &path) const;
    // Another connection (a cron scan, an import in another process) committed to the store.
    void onStoreChanged();
    // The selection as (target id, address) keys, to keep it across a reload; empty when larger
    // than kKeptSelection rows.
    QSet<QPair<qint64, QString>> selectedRowKeys() const;
    void selectRowKeys(const QSet<QPair<qint64, QString>> &keys);
    void afterLoad(std::function<void()> step);
    void refreshTagFilter();
    void probe(bool selectedOnly);
    // Probes these stored targets now (the enabled ones, with their inherited thresholds).
    void probeTargets(const QList<Target> &targets);
    // Progress, Cancel and disabled probe actions; expected 0 shows a busy bar.
    void showProbing(int expected, bool fullScan);
    void onResult(const ProbeResult &result);
    void onScanFinished(bool cancelled);
    void updateCounts();
    void updateDetails();
    void exportReport();
    void exportEvidence(); // asks for the file and the date, then exportEvidenceInBackground()
    void exportInventory();
    void removeSelected();
    QList<qint64> selectedTargetIds() const;
    void onSnoozeChanged(qint64 targetId);
    void addTarget();
    void editSelected();
    // Opens the target dialog on t (new when t.id == 0) and stores the result.
    void editTarget(const Target &t);
    void editSettings();
    QList<int> selectedSourceRows() const;
    // The estate charts over the table's rows; only while their tab is shown.
    void refreshEstate();
    // The Changes tab reads what changed since its chosen point, in the store reader's thread;
    // only while the tab is shown (else when it is shown next). MainWindowStore.cpp.
    void refreshChanges();
    // From the charts: the table shows just these rows (target id, address) until cleared.
    void showRows(const QList<QPair<qint64, QString>> &rows, const QString &description);

    // How often the store reader looks for other processes' commits (PRAGMA data_version).
    static constexpr int kStoreWatchMs = 1000;
    static constexpr int kKeptSelection = 1000;

    Database &m_database;
    Settings &m_settings;
    ScanController *m_scans;
    InventoryLoader *m_loader;
    EndpointTableModel *m_model;
    EndpointFilterProxy *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QComboBox *m_statusFilter;
    QComboBox *m_tagFilter;
    DetailsPane *m_details;
    QTabWidget *m_views;
    EstateCharts *m_estate;
    ChangesView *m_changes;
    quint64 m_changesGeneration = 0; // the newest read asked for
    QDateTime m_changesSince;
    bool m_changesStale = true; // the store changed while the tab was hidden
    QPushButton *m_rowsFilter; // says which chart rows the table shows; a click shows all
    QLabel *m_counts;
    QLabel *m_lastScan;
    QLabel *m_lastHeadlessScan; // the newest `certdash scan` of the store (the timer's)
    QProgressBar *m_progress;
    QPushButton *m_cancel;
    QTimer *m_periodic;
    QAction *m_add = nullptr;
    QAction *m_probeAll = nullptr;
    QAction *m_probeSelected = nullptr;
    SnoozeMenu *m_snooze = nullptr;
    QMenu *m_tableMenu = nullptr;
    bool m_snoozeNotePending = false;
    bool m_fullScan = false;
    bool m_probeAllRequested = false; // waiting for the reader to list the targets
    bool m_columnsFitted = false; // to results, once (persisted with the widths)
    QSplitter *m_splitter = nullptr;
    QAction *m_showDetails = nullptr;
    bool m_splitterPlaced = false; // moved by the user, or restored as they left it
    bool m_storeChangedDuringScan = false; // reload once the window's own scan is over
    QList<std::function<void()>> m_afterLoad;
    // Results the store may not have had when the loading snapshot was read (unsaved ones, then
    // all that arrive while it loads): they go back over the snapshot's older rows.
    QList<ProbeResult> m_resultsDuringLoad;
    // Results of a running scan, placed in the table together every 100 ms (one layout change
    // per batch instead of one row move per result).
    QList<ProbeResult> m_pendingResults;
    QTimer *m_resultFlush;
    FleetFeed *m_fleet = nullptr;
    SecretStore *m_fleetSecrets = nullptr;           // set by tests
    std::unique_ptr<SecretStore> m_fleetKeychain;    // the default: the OS keychain
    ProbeResult m_fleetDetailsRow;                   // the fleet row the details pane shows
    void flushResults();
};

} // namespace certdash
