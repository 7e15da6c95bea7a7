#include "MainWindow.h"

#include "AppIcon.h"
#include "ChangesView.h"
#include "DetailsPane.h"
#include "ScanRunText.h"
#include "SettingsDialog.h"
#include "SnoozeMenu.h"
#include "StatusIcon.h"
#include "TargetEditDialog.h"
#include "FleetFeed.h"
#include "charts/EstateCharts.h"
#include "inventory/InventoryExport.h"
#include "inventory/TargetParser.h"
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "monitor/InventoryLoader.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "probing/X509.h"
#include "reports/Report.h"
#include "secrets/SecretStore.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"
#include "storage/TagPolicy.h"
#include "storage/TargetRepository.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QProcessEnvironment>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace certdash {

namespace {
// What the store reader's thread builds for the table: the store's rows with the fleet rows
// shown when the reload began (`fleet`, to tell which sources were read since).
struct PreparedTable {
    EndpointTableModel::Prepared rows;
    FleetFeed::Shown fleet;
};
} // namespace

MainWindow::MainWindow(Database &database, Settings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_database(database)
    , m_settings(settings)
    , m_scans(new ScanController(database, this))
    , m_loader(new InventoryLoader(database.path(), this))
    , m_model(new EndpointTableModel(this))
    , m_proxy(new EndpointFilterProxy(this)) {
    setWindowTitle(tr("CertDash"));
    setWindowIcon(appIcon()); // the tray's icon is this one with the worst status's badge
    setAcceptDrops(true);
    resize(defaultWindowSize());

    m_proxy->setSourceModel(m_model);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("endpoints"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EndpointTableModel::DaysLeftColumn, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setIconSize(QSize(16, 16));
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);

    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("filter"));
    m_filter->setPlaceholderText(
        tr("Filter by host, subject, issuer, SAN, owner or tag (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &EndpointFilterProxy::setText);
    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_statusFilter->addItem(tr("All statuses"), QVariantList());
    QVariantList attention;
    for (const int status : EndpointFilterProxy::needsAttention())
        attention << status;
    m_statusFilter->addItem(tr("Needs attention"), attention);
    for (Status s : {Status::Expired, Status::NotYetValid, Status::Critical, Status::Warning,
                     Status::RotationOverdue, Status::Ok, Status::Unreachable, Status::Timeout,
                     Status::HandshakeFailed})
        m_statusFilter->addItem(statusIcon(s), statusLabel(s), QVariantList{int(s)});
    m_statusFilter->addItem(notProbedIcon(), tr("Not probed yet"), QVariantList{-1});
    m_statusFilter->addItem(statusIcon(Status::Critical), tr("Not trusted"),
                            QVariantList{EndpointTableModel::TrustFailedStatus});
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        QSet<int> statuses;
        for (const QVariant &v : m_statusFilter->currentData().toList())
            statuses.insert(v.toInt());
        m_proxy->setStatuses(statuses);
    });
    m_tagFilter = new QComboBox(this);
    m_tagFilter->setObjectName(QStringLiteral("tagFilter"));
    connect(m_tagFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setTag(m_tagFilter->currentData().toString()); });

    m_details = new DetailsPane(this);
    m_details->setObjectName(QStringLiteral("details"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_statusFilter);
    filters->addWidget(m_tagFilter);
    m_rowsFilter = new QPushButton(this);
    m_rowsFilter->setObjectName(QStringLiteral("rowsFilter"));
    m_rowsFilter->hide();
    connect(m_rowsFilter, &QPushButton::clicked, this, [this] {
        m_proxy->setRowKeys(std::nullopt);
        m_rowsFilter->hide();
    });
    filters->addWidget(m_rowsFilter);
    topLayout->addLayout(filters);
    topLayout->addWidget(m_table);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    m_splitter = splitter;
    splitter->setObjectName(QStringLiteral("tableDetailsSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(m_details);
    // The table is what is read first: it gets most of the height, and the details pane can be
    // dragged away entirely (or hidden from the View menu).
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setCollapsible(0, false);
    m_estate = new EstateCharts(this);
    m_estate->setObjectName(QStringLiteral("estate"));
    connect(m_estate, &EstateCharts::rowsRequested, this, &MainWindow::showRows);
    connect(m_estate, &EstateCharts::rowRequested, this,
            [this](const EndpointRowKey &row) { selectTarget(row.first, row.second); });
    m_views = new QTabWidget(this);
    m_views->setObjectName(QStringLiteral("views"));
    m_views->setDocumentMode(true);
    m_views->addTab(splitter, tr("E&ndpoints"));
    m_views->addTab(m_estate, tr("E&state"));
    m_changes = new ChangesView(this);
    m_changes->setObjectName(QStringLiteral("changes"));
    m_views->addTab(m_changes, tr("&Changes"));
    connect(m_views, &QTabWidget::currentChanged, this, &MainWindow::refreshEstate);
    connect(m_views, &QTabWidget::currentChanged, this, &MainWindow::refreshChanges);
    connect(m_changes, &ChangesView::sinceChanged, this, [this] {
        m_changesStale = true;
        refreshChanges();
    });
    connect(m_changes, &ChangesView::targetActivated, this,
            [this](qint64 targetId, const QString &address) {
                if (targetId <= 0 || !selectTarget(targetId, address))
                    statusBar()->showMessage(tr("That target is no longer in the inventory."),
                                             5000);
            });
    setCentralWidget(m_views);

    m_counts = new QLabel(this);
    m_lastScan = new QLabel(this);
    m_lastHeadlessScan = new QLabel(this);
    m_lastHeadlessScan->setObjectName(QStringLiteral("lastHeadlessScan"));
    m_lastHeadlessScan->hide();
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("progress"));
    m_progress->setFormat(tr("%v of %m"));
    m_progress->setMaximumWidth(260);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel"));
    m_cancel->hide();
    statusBar()->addWidget(m_counts, 1);
    statusBar()->addPermanentWidget(m_lastHeadlessScan);
    statusBar()->addPermanentWidget(m_lastScan);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);

    m_resultFlush = new QTimer(this);
    m_resultFlush->setSingleShot(true);
    m_resultFlush->setInterval(100);
    connect(m_resultFlush, &QTimer::timeout, this, &MainWindow::flushResults);
    m_periodic = new QTimer(this);
    connect(m_periodic, &QTimer::timeout, this, [this] { probe(false); });

    connect(m_scans, &ScanController::resultReady, this, &MainWindow::onResult);
    connect(m_scans, &ScanController::progress, this, [this](int done, int expected) {
        m_progress->setMaximum(std::max(expected, 1));
        m_progress->setValue(done);
    });
    connect(m_scans, &ScanController::finished, this, &MainWindow::onScanFinished);
    connect(m_scans, &ScanController::preparationFailed, this, [this](const QStringList &problems) {
        statusBar()->showMessage(tr("Nothing was probed: %1").arg(problems.join(QStringLiteral("; "))),
                                 15000);
    });
    connect(m_scans, &ScanController::storageError, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Results were not saved: %1").arg(message), 10000);
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_probeAllRequested) { // nothing probed yet: the list is still being read
            m_probeAllRequested = false;
            onScanFinished(true);
            return;
        }
        m_scans->cancel();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateDetails);
    connect(m_loader, &InventoryLoader::loaded, this, &MainWindow::applySnapshot);
    connect(m_loader, &InventoryLoader::imported, this, &MainWindow::onImported);
    connect(m_loader, &InventoryLoader::storeChanged, this, &MainWindow::onStoreChanged);
    connect(m_loader, &InventoryLoader::changesLoaded, this,
            [this](quint64 generation, const QList<Change> &changes, const QString &error) {
                if (generation == m_changesGeneration)
                    m_changes->setChanges(changes, m_changesSince, error);
            });
    const auto exported = [this](const QString &title) {
        return [this, title](const QString &path, const QString &error) {
            if (error.isEmpty())
                statusBar()->showMessage(tr("Wrote the report to %1").arg(path), 5000);
            else {
                // Not exec(): no nested event loop for a message.
                auto *box = new QMessageBox(QMessageBox::Warning, title,
                                            tr("Could not write %1: %2").arg(path, error),
                                            QMessageBox::Ok, this);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            }
        };
    };
    connect(this, &MainWindow::reportExported, this, exported(tr("Export report")));
    connect(this, &MainWindow::evidenceExported, this, exported(tr("Export audit report")));
    connect(m_loader, &InventoryLoader::probeTargetsLoaded, this,
            [this](const QList<Target> &targets, const QString &error) {
                if (!m_probeAllRequested)
                    return; // cancelled while the list was read
                m_probeAllRequested = false;
                if (!error.isEmpty())
                    statusBar()->showMessage(error, 10000);
                if (targets.isEmpty() || !m_scans->start(targets)) {
                    onScanFinished(false);
                    return;
                }
                m_progress->setMaximum(int(targets.size()));
            });

    createActions();
    setupFleet();
    applySettings();
    restoreGeometry(m_settings.uiState(QStringLiteral("main/geometry")));
    restoreLayout();
    // The model sorts as the restored header says (cheap while it is empty), so that the rows a
    // reload prepares in the model's order never need sorting again on the UI thread.
    m_table->sortByColumn(m_table->horizontalHeader()->sortIndicatorSection(),
                          m_table->horizontalHeader()->sortIndicatorOrder());
    reload();
    // What other processes record (a cron `certdash scan`, an import) shows without a restart.
    m_loader->watch(kStoreWatchMs);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *import = file->addAction(tr("&Import targets..."), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Import targets"), QString(),
            tr("Target lists (*.txt *.csv *.json);;All files (*)"));
        if (!path.isEmpty())
            importFile(path);
    });
    QAction *exportReportAction =
        file->addAction(tr("&Export report as CSV..."), this, &MainWindow::exportReport);
    exportReportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("Export &audit report..."), this, &MainWindow::exportEvidence);
    // Every item of a menu has a letter of its own (Import has I).
    file->addAction(tr("Export in&ventory..."), this, &MainWindow::exportInventory);
    file->addSeparator();
    file->addAction(tr("&Settings..."), this, &MainWindow::editSettings);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *targets = menuBar()->addMenu(tr("&Targets"));
    m_add = targets->addAction(tr("&Add..."), this, &MainWindow::addTarget);
    m_add->setShortcut(QKeySequence::New);
    QAction *edit = targets->addAction(tr("&Edit..."), this, &MainWindow::editSelected);
    edit->setShortcut(QKeySequence(Qt::Key_F2));
    connect(m_table, &QTableView::doubleClicked, this, &MainWindow::editSelected);
    // Enter on a row edits it too, but only in the table: elsewhere Enter is the widget's own.
    auto *editOnEnter = new QAction(m_table);
    editOnEnter->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
    editOnEnter->setShortcutContext(Qt::WidgetShortcut);
    connect(editOnEnter, &QAction::triggered, this, &MainWindow::editSelected);
    m_table->addAction(editOnEnter);
    QAction *remove = targets->addAction(tr("&Remove"), this, &MainWindow::removeSelected);
    remove->setShortcut(QKeySequence::Delete);
    targets->addSeparator();
    m_probeSelected = targets->addAction(tr("Probe &selected"), this,
                                         [this] { probe(true); });
    m_probeAll = targets->addAction(tr("&Probe all"), this, [this] { probe(false); });
    m_probeAll->setShortcut(QKeySequence(Qt::Key_F5));
    targets->addSeparator();
    m_snooze = new SnoozeMenu([this] { return selectedTargetIds(); }, this);
    targets->addMenu(m_snooze);
    connect(m_snooze, &SnoozeMenu::snoozeChanged, this, &MainWindow::onSnoozeChanged);

    // The same actions as the Targets menu, on the rows under the pointer.
    m_tableMenu = new QMenu(this);
    m_tableMenu->setObjectName(QStringLiteral("tableMenu"));
    m_tableMenu->addAction(m_probeSelected);
    m_tableMenu->addMenu(m_snooze);
    m_tableMenu->addSeparator();
    m_tableMenu->addAction(edit);
    m_tableMenu->addAction(remove);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QTableView::customContextMenuRequested, this, [this](const QPoint &pos) {
        if (!m_table->selectionModel()->selectedRows().isEmpty())
            m_tableMenu->popup(m_table->viewport()->mapToGlobal(pos));
    });

    QMenu *view = menuBar()->addMenu(tr("&View"));
    QAction *find = view->addAction(tr("&Filter"), this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    find->setShortcut(QKeySequence::Find);
    view->addAction(tr("&Reload from the database"), this, &MainWindow::reload);
    m_showDetails = view->addAction(tr("&Details pane"));
    m_showDetails->setObjectName(QStringLiteral("showDetails"));
    m_showDetails->setCheckable(true);
    m_showDetails->setChecked(true);
    connect(m_showDetails, &QAction::toggled, m_details, &QWidget::setVisible);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About CertDash"), this, [this] {
        QMessageBox::about(this, tr("About CertDash"),
                           tr("<b>CertDash %1</b><p>Watches TLS certificates across your "
                              "endpoints before they expire.</p><p>Database: %2</p>")
                               .arg(QApplication::applicationVersion(), m_database.path()));
    });

    QToolBar *toolbar = addToolBar(tr("Main"));
    toolbar->setObjectName(QStringLiteral("mainToolBar"));
    toolbar->addAction(m_add);
    toolbar->addAction(m_probeAll);
    toolbar->addAction(m_probeSelected);
    toolbar->addAction(import);
    toolbar->addAction(exportReportAction);
}

void MainWindow::applySettings()
{
    const Settings::Values v = m_settings.values();
    ProbeOptions options = m_scans->probeOptions();
    options.timeoutMs = int(v.timeoutSeconds * 1000);
    options.engine = v.engine;
    options.checkRevocation = v.checkRevocation;
    options.policy = m_settings.expiryPolicy();
    // The proxy of Settings > Connection, else the environment's (https_proxy, all_proxy,
    // no_proxy); "direct" none. Its password is asked of the keychain when a scan starts.
    const QString proxy = v.connection.proxy;
    ProxyChoice choice =
        chooseProxy(proxy.isEmpty() || proxy == QLatin1String(kDirectProxy)
                        ? std::nullopt
                        : std::optional<QString>(proxy),
                    proxy == QLatin1String(kDirectProxy), QProcessEnvironment::systemEnvironment());
    if (choice.settings) {
        options.proxy = *choice.settings;
    } else {
        options.proxy = {};
        statusBar()->showMessage(tr("Proxy: %1").arg(choice.error), 10000);
    }
    m_scans->setDefaultConnection(v.connection);
    QString error;
    options.anchors = TrustStore::create(v.useSystemAnchors, v.trustAnchorFiles, &error);
    if (!options.anchors)
        statusBar()->showMessage(tr("Trust anchors: %1").arg(error), 10000);
    m_scans->setProbeOptions(options);
    m_scans->setConcurrency(v.concurrency);
    m_model->setStaleAfterSeconds(qint64(v.probeIntervalMinutes) * 60);
    applyFleetSettings(v);
    if (v.probeIntervalMinutes > 0)
        m_periodic->start(v.probeIntervalMinutes * 60 * 1000);
    else
        m_periodic->stop();
}

void MainWindow::reload()
{
    m_counts->setText(tr("Loading..."));
    // The table's rows are built in the reader's thread too, in the order the view sorts them,
    // so that the UI thread only swaps them in.
    const int column = m_model->sortColumn();
    const Qt::SortOrder order = m_model->sortOrder();
    // The fleet rows shown now go into the new table in the same thread (the store has none);
    // a read that lands meanwhile is put in after the swap (FleetFeed::showSince()).
    // Taken out by the hook (not kept with it until the next reload, which would free rows
    // that reads replaced meanwhile on the UI thread).
    auto fleet = std::make_shared<FleetFeed::Shown>(m_fleet->shown());
    m_loader->setPrepare([column, order, fleet](InventorySnapshot &snapshot) -> std::any {
        auto table = std::make_shared<PreparedTable>();
        table->fleet = std::exchange(*fleet, {});
        table->rows = EndpointTableModel::prepare(std::move(snapshot.targets),
                                                  std::move(snapshot.latest), column, order,
                                                  table->fleet.values());
        return table;
    });
    // During a scan the snapshot can miss results: those not written yet, and those that come
    // while it is read. A reload while loading keeps the list of the load it supersedes.
    if (!isLoading())
        m_resultsDuringLoad = m_scans->unsaved();
    m_loader->load();
}

bool MainWindow::isLoading() const {
    return m_loader->isLoading();
}

void MainWindow::applySnapshot(const std::shared_ptr<InventorySnapshot> &snapshot) {
    if (!snapshot->error.isEmpty())
        statusBar()->showMessage(snapshot->error, 10000);
    if (const auto *table = std::any_cast<std::shared_ptr<PreparedTable>>(&snapshot->prepared)) {
        // The selection survives a reload (one that a cron scan's results caused, say).
        const QSet<QPair<qint64, QString>> selected = selectedRowKeys();
        // The replaced rows are freed in the reader's thread, not here.
        m_loader->dispose(std::make_shared<EndpointTableModel::Prepared>(m_model->setPrepared(
            std::move((*table)->rows), std::exchange(m_resultsDuringLoad, {}))));
        m_fleet->showSince((*table)->fleet);
        selectRowKeys(selected);
        // Fleet rows a read replaced meanwhile may have their last reference here.
        m_loader->dispose(std::exchange(snapshot->prepared, {}));
    }
    refreshTagFilter();
    const QDateTime newest = m_model->newestProbe();
    m_lastScan->setText(
        newest.isValid() ? tr("Last probe: %1")
                               .arg(QLocale().toString(newest.toLocalTime(), QLocale::ShortFormat))
                         : tr("Never probed"));
    if (snapshot->lastScanRun) {
        m_lastHeadlessScan->setText(scanRunText(*snapshot->lastScanRun));
        m_lastHeadlessScan->setToolTip(scanRunToolTip(*snapshot->lastScanRun));
    }
    m_lastHeadlessScan->setVisible(snapshot->lastScanRun.has_value());
    updateCounts();
    refreshEstate();
    fitColumnsToResults();
    emit inventoryLoaded();
    const QList<std::function<void()>> steps = std::exchange(m_afterLoad, {});
    for (const auto &step : steps)
        step();
}

void MainWindow::afterLoad(std::function<void()> step) {
    if (isLoading())
        m_afterLoad << std::move(step);
    else
        step();
}

void MainWindow::refreshTagFilter() {
    const QString currentTag = m_tagFilter->currentData().toString();
    m_tagFilter->blockSignals(true);
    m_tagFilter->clear();
    m_tagFilter->addItem(tr("All tags"), QString());
    for (const QString &tag : m_model->allTags())
        m_tagFilter->addItem(tag, tag);
    m_tagFilter->setCurrentIndex(std::max(0, m_tagFilter->findData(currentTag)));
    m_tagFilter->blockSignals(false);
}

void MainWindow::offerSampleInventory()
{
    if (isLoading()) {
        afterLoad([this] { offerSampleInventory(); });
        return;
    }
    if (m_model->rowCount() > 0)
        return;
    const auto answer = QMessageBox::question(
        this, tr("Welcome to CertDash"),
        tr("The inventory is empty.\n\nLoad a sample inventory of public test endpoints "
           "(badssl.com) that show each status (expired, wrong host, self-signed, untrusted root, "
           "incomplete chain, healthy)? Probing them needs an internet connection: offline, they "
           "all show as Unreachable.\n\nYou can add your own hosts with File > Import targets, "
           "or drop a target file on the window."));
    if (answer == QMessageBox::Yes)
        importFile(QStringLiteral(":/samples/sample-targets.txt"));
}

QList<int> MainWindow::selectedSourceRows() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows << m_proxy->mapToSource(index).row();
    return rows;
}

QList<qint64> MainWindow::selectedTargetIds() const
{
    QList<qint64> ids;
    for (const int row : selectedSourceRows()) {
        if (m_model->targetAt(row).id > 0) // fleet rows have no stored target of their own
            ids << m_model->targetAt(row).id;
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

void MainWindow::setAlertService(AlertService *alerts)
{
    m_snooze->setAlertService(alerts);
    if (alerts)
        m_model->setSnoozeNote([menu = QPointer<SnoozeMenu>(m_snooze)](qint64 id) {
            return menu ? menu->noteFor(id) : QString();
        });
    else
        m_model->setSnoozeNote({});
    if (!alerts)
        m_details->setSnoozeNote({});
}

void MainWindow::onSnoozeChanged(qint64 targetId)
{
    m_model->refreshSnooze(targetId);
    // Snoozing a selection of 100,000 rows sends 100,000 of these: the details pane is looked at
    // once, after the last.
    if (m_snoozeNotePending)
        return;
    m_snoozeNotePending = true;
    QTimer::singleShot(0, this, [this] {
        m_snoozeNotePending = false;
        // Room for "(snoozed)" in the status cells; never narrower than the user made it.
        const int status = EndpointTableModel::StatusColumn;
        const int width = m_table->horizontalHeader()->sectionSize(status);
        m_table->resizeColumnToContents(status);
        if (m_table->horizontalHeader()->sectionSize(status) < width)
            m_table->horizontalHeader()->resizeSection(status, width);
        const QList<int> rows = selectedSourceRows();
        if (rows.size() == 1 && m_model->hasResult(rows.first()))
            m_details->setSnoozeNote(m_snooze->noteFor(m_model->targetAt(rows.first()).id));
    });
}

void MainWindow::probe(bool selectedOnly)
{
    if (m_scans->isRunning() || m_probeAllRequested)
        return;
    if (!selectedOnly) {
        // The whole inventory, fresh from the store, read in the reader's thread; progress
        // shows as busy meanwhile.
        m_probeAllRequested = true;
        showProbing(0, true);
        m_loader->loadProbeTargets(m_scans->probeOptions().policy);
        return;
    }
    probeTargets(m_model->targetsAt(selectedSourceRows()));
}

void MainWindow::probeTargets(const QList<Target> &targets)
{
    // Thresholds inherited through tags, resolved here so that probing needs no database.
    QString error;
    const QList<TagPolicy> policies =
        TargetRepository(m_database, *m_scans->probeOptions().clock).tagPolicies(&error);
    QList<Target> enabled;
    for (Target t : targets) {
        if (!t.enabled)
            continue;
        const ExpiryPolicy p = effectivePolicy(m_scans->probeOptions().policy, policies, t);
        t.warningDays = p.warningDays;
        t.criticalDays = p.criticalDays;
        t.rotationDays = p.rotationDays;
        t.acceptance = effectiveAcceptance(policies, t);
        t.connection = effectiveConnection(ConnectionSettings{}, policies, t);
        t.checkRevocation = effectiveRevocationCheck(policies, t);
        enabled << t;
    }
    if (enabled.isEmpty())
        return;
    showProbing(int(enabled.size()), false);
    m_scans->start(enabled);
}

void MainWindow::showProbing(int expected, bool fullScan) {
    m_fullScan = fullScan;
    m_progress->setMaximum(expected);
    m_progress->setValue(0);
    m_progress->show();
    m_cancel->show();
    m_probeAll->setEnabled(false);
    m_probeSelected->setEnabled(false);
}

void MainWindow::onResult(const ProbeResult &result)
{
    if (isLoading())
        m_resultsDuringLoad << result;
    m_pendingResults << result;
    if (!m_resultFlush->isActive())
        m_resultFlush->start();
}

void MainWindow::flushResults()
{
    m_resultFlush->stop();
    m_model->upsertResults(std::exchange(m_pendingResults, {}));
}

void MainWindow::onScanFinished(bool cancelled)
{
    flushResults();
    m_progress->hide();
    m_cancel->hide();
    m_probeAll->setEnabled(true);
    m_probeSelected->setEnabled(true);
    if (m_fullScan && !cancelled)
        m_lastScan->setText(tr("Last full scan: %1")
                                .arg(QLocale().toString(QDateTime::currentDateTime(),
                                                        QLocale::ShortFormat)));
    if (cancelled)
        statusBar()->showMessage(tr("Probing cancelled; results so far were kept."), 5000);
    // After the alert state the tray writes in its own handler of the same signal.
    if (std::exchange(m_storeChangedDuringScan, false))
        QTimer::singleShot(0, this, &MainWindow::reload);
    updateCounts();
    updateDetails();
    refreshEstate();
    m_changesStale = true;
    refreshChanges();
    fitColumnsToResults();
}

void MainWindow::updateCounts()
{
    QMap<int, QPair<QString, int>> counts; // by severity, worst first
    int notProbed = 0;
    const QMap<int, int> byStatus = m_model->statusCounts();
    for (auto it = byStatus.cbegin(); it != byStatus.cend(); ++it) {
        if (it.key() == EndpointTableModel::NotProbedStatus) {
            notProbed = it.value();
            continue;
        }
        const Status s = Status(it.key());
        counts[severityRank(s)] = {statusLabel(s), it.value()};
    }
    QStringList parts;
    // First, what the on-call engineer acts on: the rows "Needs attention" shows.
    if (!byStatus.isEmpty() && notProbed < m_model->rowCount())
        parts << tr("Needs attention: %1").arg(m_model->needsAttentionCount());
    for (const auto &[label, count] : std::as_const(counts))
        parts << tr("%1: %2").arg(label).arg(count);
    // Trust is its own dimension: "OK: 3" alone would hide three wrong certificates.
    if (const int untrusted = m_model->trustFailedCount(); untrusted > 0)
        parts << tr("Not trusted: %1").arg(untrusted);
    if (notProbed > 0)
        parts << tr("Not probed yet: %1").arg(notProbed);
    m_counts->setText(parts.isEmpty() ? tr("No targets: import a target list to begin.")
                                      : parts.join(QStringLiteral("   ")));
}

void MainWindow::updateDetails()
{
    const QList<int> rows = selectedSourceRows();
    if (rows.size() != 1 || !m_model->hasResult(rows.first())) {
        m_details->clear();
        return;
    }
    // Table rows carry a summary; the details load this one target in full, which is quick.
    const ProbeResult &summary = m_model->resultAt(rows.first());
    if (EndpointTableModel::isFleetRow(summary)) {
        showFleetDetails(summary);
        return;
    }
    HistoryRepository history(m_database);
    QString error;
    const QList<ProbeResult> full = history.latestFor(summary.target.id, &error);
    const ProbeResult *r = &summary;
    for (const ProbeResult &candidate : full) {
        if (candidate.address == summary.address)
            r = &candidate;
    }
    const QDateTime now = m_scans->probeOptions().clock->now();
    const ExpiryPolicy policy = effectivePolicy(
        m_scans->probeOptions().policy,
        TargetRepository(m_database, *m_scans->probeOptions().clock).tagPolicies(&error),
        r->target);
    m_details->showResult(*r, full, history.history(summary.target.id, now.addYears(-2), now),
                          now, policy);
    m_details->setSnoozeNote(m_snooze->noteFor(summary.target.id));
    makeRoomForDetails();
}

void MainWindow::refreshEstate()
{
    if (m_views->currentWidget() != m_estate)
        return;
    QList<ProbeResult> results;
    results.reserve(m_model->rowCount());
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->hasResult(row))
            results << m_model->resultAt(row);
    }
    QString error;
    const QList<TagPolicy> tags =
        TargetRepository(m_database, *m_scans->probeOptions().clock).tagPolicies(&error);
    const ExpiryPolicy global = m_scans->probeOptions().policy;
    m_estate->setResults(
        results, [&](const Target &t) { return effectivePolicy(global, tags, t); }, global,
        m_scans->probeOptions().clock->now());
}

void MainWindow::showRows(const QList<QPair<qint64, QString>> &rows, const QString &description)
{
    m_proxy->setRowKeys(QSet<QPair<qint64, QString>>(rows.begin(), rows.end()));
    m_rowsFilter->setText(tr("%1: %n row(s) \u2715", nullptr, int(rows.size())).arg(description));
    m_rowsFilter->setToolTip(tr("Rows chosen in a chart. Click to show every row again."));
    m_rowsFilter->show();
    m_views->setCurrentIndex(0);
}

void MainWindow::probeIfStale()
{
    if (isLoading()) {
        afterLoad([this] { probeIfStale(); });
        return;
    }
    const qint64 interval = qint64(m_settings.values().probeIntervalMinutes) * 60;
    if (interval <= 0 || m_model->rowCount() == 0)
        return;
    const QDateTime newest = m_model->newestProbe();
    if (!newest.isValid() || newest.secsTo(m_scans->probeOptions().clock->now()) > interval)
        probe(false);
}

bool MainWindow::selectTarget(qint64 targetId, const QString &address)
{
    int source = -1;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->targetAt(row).id != targetId)
            continue;
        if (source < 0 || m_model->resultAt(row).address == address)
            source = row;
    }
    if (source < 0)
        return false;
    m_views->setCurrentIndex(0);
    QModelIndex index = m_proxy->mapFromSource(m_model->index(source, 0));
    if (!index.isValid()) {
        m_filter->clear();
        m_statusFilter->setCurrentIndex(0);
        m_tagFilter->setCurrentIndex(0);
        m_proxy->setRowKeys(std::nullopt);
        m_rowsFilter->hide();
        index = m_proxy->mapFromSource(m_model->index(source, 0));
    }
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_settings.setUiState(QStringLiteral("main/geometry"), saveGeometry());
    saveLayout();
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

} // namespace certdash
