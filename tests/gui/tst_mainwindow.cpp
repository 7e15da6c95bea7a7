// The dashboard end to end, offscreen: a stored inventory, Probe all through the real scheduler
// against local TLS servers, rows updating, filter, and the table model under Qt's model tester.
#include "CertFactory.h"
#include "CommandRunner.h"
#include "LocalTlsServer.h"
#include "TestSupport.h"
#include "cli/ReportCommand.h"
#include "models/EndpointFilterProxy.h"
#include "models/EndpointTableModel.h"
#include "monitor/ScanController.h"
#include "probing/TrustStore.h"
#include "storage/Database.h"
#include "storage/HistoryRepository.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/DetailsPane.h"
#include "widgets/MainWindow.h"
#include "widgets/TargetEditDialog.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Default settings with no periodic re-probe: nothing probes in a test unless it asks.
bool withoutPeriodicProbes(Settings &settings) {
    Settings::Values values;
    values.probeIntervalMinutes = 0;
    return settings.store(values).isEmpty();
}
} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_ca;

    static QString cell(const QAbstractItemModel &model, int row, int column)
    {
        return model.index(row, column).data().toString();
    }
    static int rowOf(const QAbstractItemModel &model, const QString &target)
    {
        for (int row = 0; row < model.rowCount(); ++row) {
            if (cell(model, row, EndpointTableModel::TargetColumn) == target)
                return row;
        }
        return -1;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = makeCert(CertSpec::root(u"GUI Root"_s).validDays(-1000, 3000));
        m_ca = makeCert(CertSpec::intermediate(u"GUI CA"_s).validDays(-500, 1000), &m_root);
    }

    void probeAllFromTheWindow()
    {
        CertSpec okSpec = CertSpec::leaf(u"ok.gui.test"_s);
        okSpec.validDays(-10, 80);
        const TestCert ok = makeCert(okSpec, &m_ca);
        CertSpec warnSpec = CertSpec::leaf(u"warn.gui.test"_s);
        warnSpec.validDays(-70, 20.5);
        const TestCert warn = makeCert(warnSpec, &m_ca);
        LocalTlsServer server;
        server.setChain({ok.certificate(), m_ca.certificate()}, ok.key());
        server.addSniChain(u"warn.gui.test"_s, {warn.certificate(), m_ca.certificate()}, warn.key());
        QVERIFY(server.listenLoopback());

        QString error;
        auto db = Database::open(m_dir.filePath(u"gui.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        for (const QString &host : {u"ok.gui.test"_s, u"warn.gui.test"_s}) {
            Target t;
            t.host = host;
            t.port = server.port();
            t.addresses = {u"127.0.0.1"_s};
            t.owner = host.startsWith(u"ok"_s) ? u"payments"_s : u"web"_s;
            if (host.startsWith(u"ok"_s)) {
                t.tags = {u"pci"_s, u"prod"_s};
                t.notes = u"renew via ACME, see runbook"_s;
            }
            QVERIFY2(repository.add(t, &error), qPrintable(error));
        }

        Settings settings(m_dir.filePath(u"gui.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        QAbstractItemModelTester tester(window.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ProbeOptions options = window.scanController()->probeOptions();
        options.anchors = TrustStore::fromCertificates({m_root.der});
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        options.timeoutMs = 3000;
        window.scanController()->setProbeOptions(options);
        window.show();

        auto *table = window.findChild<QTableView *>(u"endpoints"_s);
        QAbstractItemModel &model = *table->model();
        QTRY_COMPARE(model.rowCount(), 2); // loaded in the store reader's thread
        const QString okLabel = u"ok.gui.test:%1"_s.arg(server.port());
        const QString warnLabel = u"warn.gui.test:%1"_s.arg(server.port());
        QCOMPARE(cell(model, rowOf(model, okLabel), EndpointTableModel::StatusColumn),
                 u"Not probed yet"_s);

        QSignalSpy finished(window.scanController(), &ScanController::finished);
        window.probeAllAction()->trigger();
        QVERIFY(window.findChild<QProgressBar *>(u"progress"_s)->isVisible());
        QVERIFY(finished.wait(10000));
        QVERIFY(!window.findChild<QProgressBar *>(u"progress"_s)->isVisible());

        QCOMPARE(model.rowCount(), 2);
        const int okRow = rowOf(model, okLabel);
        const int warnRow = rowOf(model, warnLabel);
        QCOMPARE(cell(model, okRow, EndpointTableModel::StatusColumn), u"OK"_s);
        QCOMPARE(cell(model, okRow, EndpointTableModel::DaysLeftColumn), u"80"_s);
        QCOMPARE(cell(model, okRow, EndpointTableModel::TrustColumn), u"trusted"_s);
        QCOMPARE(cell(model, warnRow, EndpointTableModel::StatusColumn), u"Warning"_s);
        QCOMPARE(cell(model, warnRow, EndpointTableModel::DaysLeftColumn), u"20"_s);
        QVERIFY(!model.index(okRow, 0).data(Qt::DecorationRole).isNull()); // an icon, not colour

        // Sorted by days left (as numbers): the warning first.
        table->sortByColumn(EndpointTableModel::DaysLeftColumn, Qt::AscendingOrder);
        QCOMPARE(cell(model, 0, EndpointTableModel::TargetColumn), warnLabel);

        // The results are in the store's history too.
        QCOMPARE(HistoryRepository(*db).latest().size(), 2);

        // Selecting a row shows its chain as clients use it: leaf, intermediate, root.
        table->selectRow(0);
        QCOMPARE(window.details()->chainRowCount(), 3);
        QVERIFY(window.details()->divergenceText().isEmpty());

        // The report export equals `certdash report` for the same results (as sets of rows:
        // the window writes them in view order).
        const QString exported = m_dir.filePath(u"gui-report.csv"_s);
        QVERIFY2(window.writeReport(exported, &error), qPrintable(error));
        QFile exportedFile(exported);
        QVERIFY(exportedFile.open(QIODevice::ReadOnly));
        QStringList guiLines = QString::fromUtf8(exportedFile.readAll()).split(u"\r\n"_s);
        const CommandRun cli = runCommand(&cli::runReport, {u"--database"_s, db->path()});
        QCOMPARE(cli.exitCode, 1); // the worst is a warning
        QStringList cliLines = QString::fromUtf8(cli.out).split(u"\r\n"_s);
        // Issue 14: the auditor's routing columns, and serials no spreadsheet takes for numbers.
        QVERIFY2(guiLines.first().endsWith(u",trust_level,owner,tags,notes"_s),
                 qPrintable(guiLines.first()));
        const auto okLine = std::find_if(guiLines.cbegin(), guiLines.cend(), [](const QString &l) {
            return l.startsWith(u"ok.gui.test:"_s);
        });
        QVERIFY(okLine != guiLines.cend());
        QVERIFY2(okLine->endsWith(
                     u",trusted,payments,\"pci,prod\",\"renew via ACME, see runbook\""_s),
                 qPrintable(*okLine));
        QVERIFY2(okLine->contains(u",0x"_s), qPrintable(*okLine));
        guiLines.sort();
        cliLines.sort();
        QCOMPARE(guiLines, cliLines);

        // File > Export report writes the same file in a thread of its own.
        const QString background = m_dir.filePath(u"gui-report-background.csv"_s);
        QSignalSpy exportedSpy(&window, &MainWindow::reportExported);
        window.exportReportInBackground(background);
        QTRY_COMPARE(exportedSpy.size(), 1);
        QCOMPARE(exportedSpy.at(0).at(0).toString(), background);
        QCOMPARE(exportedSpy.at(0).at(1).toString(), QString());
        QFile backgroundFile(background);
        QVERIFY(backgroundFile.open(QIODevice::ReadOnly));
        QVERIFY(exportedFile.seek(0));
        QCOMPARE(backgroundFile.readAll(), exportedFile.readAll());
        // A path that cannot be written is reported, not fatal.
        window.exportReportInBackground(m_dir.filePath(u"no-such-dir/report.csv"_s));
        QTRY_COMPARE(exportedSpy.size(), 2);
        QVERIFY(!exportedSpy.at(1).at(1).toString().isEmpty());

        // Status filter: only the warning.
        auto *statusFilter = window.findChild<QComboBox *>(u"statusFilter"_s);
        statusFilter->setCurrentIndex(statusFilter->findText(u"Warning"_s));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, EndpointTableModel::TargetColumn), warnLabel);
        statusFilter->setCurrentIndex(0);
        QCOMPARE(model.rowCount(), 2);

        // Filter by owner.
        auto *filter = window.findChild<QLineEdit *>(u"filter"_s);
        QTest::keyClicks(filter, u"payments"_s);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, EndpointTableModel::TargetColumn), okLabel);
        filter->clear();
        QCOMPARE(model.rowCount(), 2);
    }

    // Cancel stops a scan of silent servers at once and the window is usable again.
    // Settings > probing/engine picks the probe engine of the window's scans (default OpenSSL).
    void engineSettingReachesTheScans()
    {
        QString error;
        auto db = Database::open(m_dir.filePath(u"engine.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        Settings settings(m_dir.filePath(u"engine.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        {
            MainWindow window(*db, settings);
            QCOMPARE(window.scanController()->probeOptions().engine, ProbeEngine::OpenSsl);
        }
        Settings::Values values = settings.values();
        values.engine = ProbeEngine::Qt;
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        QCOMPARE(window.scanController()->probeOptions().engine, ProbeEngine::Qt);
    }

    void cancelFromTheWindow()
    {
        LocalTlsServer silent;
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        QString error;
        auto db = Database::open(m_dir.filePath(u"cancel.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        for (int i = 0; i < 6; ++i) {
            Target t;
            t.host = u"s%1.test"_s.arg(i);
            t.port = silent.port();
            t.addresses = {u"127.0.0.1"_s};
            QVERIFY(repository.add(t, &error));
        }
        Settings settings(m_dir.filePath(u"cancel.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        ProbeOptions options = window.scanController()->probeOptions();
        options.timeoutMs = 60000;
        window.scanController()->setProbeOptions(options);
        window.show();
        QSignalSpy finished(window.scanController(), &ScanController::finished);
        window.probeAllAction()->trigger();
        QVERIFY(!window.probeAllAction()->isEnabled());
        QTRY_COMPARE(silent.connectionCount(), 6);
        auto *cancel = window.findChild<QPushButton *>(u"cancel"_s);
        QVERIFY(cancel->isVisible());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(finished.size() == 1 || finished.wait(2000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY(window.probeAllAction()->isEnabled());
        QVERIFY(!cancel->isVisible());
    }

    // The table is read in the store reader's thread: the window is up at once, says it is
    // loading, then shows the stored rows (results and "not probed yet" targets alike).
    void showsStoredRowsAfterLoading() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"load.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        QList<Target> targets;
        for (int i = 0; i < 40; ++i) {
            Target t;
            t.host = u"h%1.load.test"_s.arg(i);
            t.addresses = {u"127.0.0.1"_s};
            t.owner = i % 2 ? u"odd"_s : u"even"_s;
            t.tags = {u"batch-%1"_s.arg(i % 3)};
            QVERIFY2(repository.add(t, &error), qPrintable(error));
            targets << t;
        }
        // Results for the first 30; the last 10 were never probed.
        QList<ProbeResult> results;
        for (int i = 0; i < 30; ++i) {
            ProbeResult r;
            r.target = targets.at(i);
            r.address = u"127.0.0.1"_s;
            r.status = Status::Timeout;
            r.error = u"timed out"_s;
            r.probedAt = pinnedNow().addSecs(-i);
            results << r;
        }
        QVERIFY2(HistoryRepository(*db).record(results, &error), qPrintable(error));

        Settings settings(m_dir.filePath(u"load.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        QSignalSpy loaded(&window, &MainWindow::inventoryLoaded);
        window.show();
        QVERIFY(window.isLoading());
        const QList<QLabel *> labels = window.statusBar()->findChildren<QLabel *>();
        const auto statusBarSays = [&](const QString &text) {
            return std::any_of(labels.cbegin(), labels.cend(),
                               [&](const QLabel *label) { return label->text().contains(text); });
        };
        QVERIFY(statusBarSays(u"Loading..."_s));
        QVERIFY(window.model()->rowCount() < 40); // nothing was read on the UI thread

        QTRY_COMPARE(window.model()->rowCount(), 40);
        QCOMPARE(loaded.size(), 1);
        QVERIFY(!window.isLoading());
        int timeouts = 0;
        int notProbed = 0;
        for (int row = 0; row < 40; ++row) {
            const QString status = cell(*window.model(), row, EndpointTableModel::StatusColumn);
            timeouts += status == u"Timed out"_s;
            notProbed += status == u"Not probed yet"_s;
        }
        QCOMPARE(timeouts, 30);
        QCOMPARE(notProbed, 10);
        QVERIFY(statusBarSays(u"Not probed yet: 10"_s));
        QVERIFY(!statusBarSays(u"Loading..."_s));
        auto *tagFilter = window.findChild<QComboBox *>(u"tagFilter"_s);
        QCOMPARE(tagFilter->count(), 4); // all tags, batch-0, batch-1, batch-2
    }

    // Editing one target changes its row in place: no reset, no reload, no other row touched.
    void editUpdatesOnlyThatRow() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"edit.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        for (int i = 0; i < 5; ++i) {
            Target t;
            t.host = u"e%1.edit.test"_s.arg(i);
            t.owner = u"before"_s;
            QVERIFY2(repository.add(t, &error), qPrintable(error));
        }
        Settings settings(m_dir.filePath(u"edit.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        window.show();
        EndpointTableModel &model = *window.model();
        QTRY_COMPARE(model.rowCount(), 5);
        auto *table = window.findChild<QTableView *>(u"endpoints"_s);
        const QString edited = u"e3.edit.test:443"_s;
        table->selectRow(rowOf(*table->model(), edited));
        const int sourceRow = rowOf(model, edited);

        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy loaded(&window, &MainWindow::inventoryLoaded);
        bool dialogSeen = false;
        QTimer::singleShot(0, &window, [&] {
            auto *dialog = qobject_cast<TargetEditDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            dialogSeen = true;
            auto *owner = dialog->findChild<QLineEdit *>(u"owner"_s);
            owner->setText(u"after"_s);
            auto *tags = dialog->findChild<QLineEdit *>(u"tags"_s);
            tags->setText(u"fresh"_s);
            dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        });
        const auto action = [&](const QString &text) -> QAction * {
            for (QAction *candidate : window.findChildren<QAction *>()) {
                if (candidate->text() == text)
                    return candidate;
            }
            return nullptr;
        };
        QAction *edit = action(u"&Edit..."_s);
        QVERIFY(edit);
        edit->trigger(); // runs the dialog; the timer fills it in and presses OK
        QVERIFY(dialogSeen);

        QCOMPARE(resets.size(), 0);
        QCOMPARE(loaded.size(), 0);
        QVERIFY(!window.isLoading());
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), sourceRow);
        QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), sourceRow);
        QCOMPARE(cell(model, sourceRow, EndpointTableModel::OwnerColumn), u"after"_s);
        for (int row = 0; row < model.rowCount(); ++row) {
            if (row != sourceRow)
                QCOMPARE(cell(model, row, EndpointTableModel::OwnerColumn), u"before"_s);
        }
        // The store has it, and the new tag is offered in the tag filter at once.
        const auto stored = repository.byId(model.targetAt(sourceRow).id);
        QVERIFY(stored);
        QCOMPARE(stored->owner, u"after"_s);
        auto *tagFilter = window.findChild<QComboBox *>(u"tagFilter"_s);
        QVERIFY(tagFilter->findData(u"fresh"_s) >= 0);

        // Removing takes away exactly that target's row, again without a reload.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QTimer::singleShot(0, &window, [] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                box->button(QMessageBox::Yes)->click();
        });
        table->selectRow(rowOf(*table->model(), edited));
        QVERIFY(action(u"&Remove"_s));
        action(u"&Remove"_s)->trigger();
        QCOMPARE(removed.size(), 1);
        QCOMPARE(resets.size(), 0);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(rowOf(model, edited), -1);
        QVERIFY(!repository.byId(stored->id));
        QCOMPARE(tagFilter->findData(u"fresh"_s), -1);
    }

    // One bad backend behind a load balancer is said prominently.
    // The outage the product exists to catch: one name, three backends (pinned 127.0.0.1-3 on
    // one port), one of them critical and one expired 24.5 hours ago. The first Probe all shows
    // a row per backend with its own status, and "Show" for an address (a notification, the
    // banner) selects that address's row, filters or not.
    void everyBackendOnScreen()
    {
        const auto leaf = [&](double daysLeft) {
            CertSpec spec = CertSpec::leaf(u"lb.gui.test"_s);
            spec.validDays(-60, daysLeft);
            return makeCert(spec, &m_ca);
        };
        const TestCert healthy = leaf(80);
        const TestCert critical = leaf(3);
        const TestCert expired = leaf(-24.5 / 24);
        LocalTlsServer healthyServer;
        healthyServer.setChain({healthy.certificate(), m_ca.certificate()}, healthy.key());
        QVERIFY(healthyServer.listenLoopback(QHostAddress(u"127.0.0.1"_s)));
        LocalTlsServer criticalServer;
        criticalServer.setChain({critical.certificate(), m_ca.certificate()}, critical.key());
        QVERIFY(criticalServer.listen(QHostAddress(u"127.0.0.2"_s), healthyServer.port()));
        LocalTlsServer expiredServer;
        expiredServer.setChain({expired.certificate(), m_ca.certificate()}, expired.key());
        QVERIFY(expiredServer.listen(QHostAddress(u"127.0.0.3"_s), healthyServer.port()));

        QString error;
        auto db = Database::open(m_dir.filePath(u"backends.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        Target lb;
        lb.host = u"lb.gui.test"_s;
        lb.port = healthyServer.port();
        lb.addresses = {u"127.0.0.1"_s, u"127.0.0.2"_s, u"127.0.0.3"_s};
        QVERIFY2(repository.add(lb, &error), qPrintable(error));
        Target other;
        other.host = u"other.gui.test"_s;
        other.port = healthyServer.port();
        other.addresses = {u"127.0.0.1"_s};
        QVERIFY2(repository.add(other, &error), qPrintable(error));

        Settings settings(m_dir.filePath(u"backends.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        QAbstractItemModelTester tester(window.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        ProbeOptions options = window.scanController()->probeOptions();
        options.anchors = TrustStore::fromCertificates({m_root.der});
        options.clock = std::make_shared<FixedClock>(pinnedNow());
        options.timeoutMs = 3000;
        window.scanController()->setProbeOptions(options);
        window.show();
        auto *table = window.findChild<QTableView *>(u"endpoints"_s);
        QAbstractItemModel &view = *table->model();
        QTRY_COMPARE(view.rowCount(), 2); // one "not probed yet" row each
        QTRY_VERIFY(!window.isLoading());

        QSignalSpy finished(window.scanController(), &ScanController::finished);
        window.probeAllAction()->trigger();
        QVERIFY(finished.wait(10000));

        // Every backend on its own row, with its own status.
        const EndpointTableModel &model = *window.model();
        QMap<QString, int> rowOfAddress;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (model.targetAt(row).id == lb.id)
                rowOfAddress.insert(model.resultAt(row).address, row);
        }
        QCOMPARE(rowOfAddress.keys(),
                 (QStringList{u"127.0.0.1"_s, u"127.0.0.2"_s, u"127.0.0.3"_s}));
        QCOMPARE(view.rowCount(), 4);
        const auto cellOf = [&](const QString &address, int column, int role = Qt::DisplayRole) {
            return model.index(rowOfAddress.value(address), column).data(role).toString();
        };
        QCOMPARE(cellOf(u"127.0.0.1"_s, EndpointTableModel::StatusColumn), u"OK"_s);
        QCOMPARE(cellOf(u"127.0.0.2"_s, EndpointTableModel::StatusColumn), u"Critical"_s);
        QCOMPARE(cellOf(u"127.0.0.2"_s, EndpointTableModel::DaysLeftColumn), u"3"_s);
        // An expired leaf is also untrusted, but "Expired" already says so: no second reason.
        QCOMPARE(cellOf(u"127.0.0.3"_s, EndpointTableModel::StatusColumn), u"Expired"_s);
        // Days left, in words: the column keeps the report's floor, the words do not.
        QCOMPARE(cellOf(u"127.0.0.3"_s, EndpointTableModel::DaysLeftColumn), u"-2"_s);
        // (Read as English whether or not translations/ has this %n message yet.)
        QCOMPARE(cellOf(u"127.0.0.3"_s, EndpointTableModel::DaysLeftColumn, Qt::ToolTipRole)
                     .replace(u"(s)"_s, QString()),
                 u"expired 1 day ago"_s);

        // "Show" for the critical address, while a filter hides it: its row, nothing else.
        auto *filter = window.findChild<QLineEdit *>(u"filter"_s);
        QTest::keyClicks(filter, u"other.gui"_s);
        QCOMPARE(view.rowCount(), 1);
        QVERIFY(window.selectTarget(lb.id, u"127.0.0.2"_s));
        QCOMPARE(view.rowCount(), 4);
        const QModelIndexList selected = table->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().siblingAtColumn(EndpointTableModel::AddressColumn).data(),
                 QVariant(u"127.0.0.2"_s));
        QCOMPARE(selected.first().siblingAtColumn(EndpointTableModel::StatusColumn).data(),
                 QVariant(u"Critical"_s));
        QVERIFY2(window.details()->headlineText().contains(u"127.0.0.2"_s),
                 qPrintable(window.details()->headlineText()));

        // The expired backend's details say it as a person would.
        QVERIFY(window.selectTarget(lb.id, u"127.0.0.3"_s));
        const QString headline = window.details()->headlineText();
        QVERIFY2(headline.contains(u"127.0.0.3"_s) && headline.contains(u"expired 1 day"_s) &&
                     !headline.contains(u"2 day"_s),
                 qPrintable(headline));
        QVERIFY2(window.details()->validityText().startsWith(u"expired 1 day"_s),
                 qPrintable(window.details()->validityText()));
    }

    void backendDivergenceBanner()
    {
        const auto result = [](const QString &address, const QString &fingerprint) {
            ProbeResult r;
            r.target.id = 7;
            r.target.host = u"lb.test"_s;
            r.address = address;
            r.status = Status::Ok;
            CertificateInfo leaf;
            leaf.der = "x";
            leaf.subject = u"CN=lb.test"_s;
            leaf.subjectCommonName = u"lb.test"_s;
            leaf.sha256Fingerprint = fingerprint;
            leaf.notBefore = pinnedNow().addDays(-10);
            leaf.notAfter = pinnedNow().addDays(50);
            r.chain = {leaf};
            return r;
        };
        DetailsPane pane;
        const ProbeResult a = result(u"192.0.2.1"_s, u"AA"_s);
        const ProbeResult b = result(u"192.0.2.2"_s, u"BB"_s);
        pane.showResult(a, {a, b}, {}, pinnedNow());
        QVERIFY2(pane.divergenceText().contains(u"192.0.2.2"_s), qPrintable(pane.divergenceText()));
        QCOMPARE(pane.chainRowCount(), 1);
        pane.showResult(a, {a, result(u"192.0.2.2"_s, u"AA"_s)}, {}, pinnedNow());
        QVERIFY(pane.divergenceText().isEmpty());
    }

    // A certificate with 10,000 names: the details list the first hundred and say how many
    // more there are (the text dump has them all), instead of laying out one huge cell.
    void detailsElideTenThousandNames() {
        ProbeResult r;
        r.target.host = u"big.test"_s;
        r.address = u"192.0.2.1"_s;
        r.status = Status::Ok;
        CertificateInfo leaf;
        leaf.der = "x";
        leaf.subject = u"CN=big.test"_s;
        leaf.subjectCommonName = u"big.test"_s;
        leaf.notBefore = pinnedNow().addDays(-10);
        leaf.notAfter = pinnedNow().addDays(50);
        for (int i = 0; i < 10000; ++i)
            leaf.subjectAltNames << u"DNS:name-%1.big.test"_s.arg(i, 5, 10, QLatin1Char('0'));
        r.chain = {leaf};
        DetailsPane pane;
        pane.showResult(r, {r}, {}, pinnedNow());
        QString fields;
        for (const QTextBrowser *browser : pane.findChildren<QTextBrowser *>())
            fields += browser->toPlainText();
        QVERIFY(fields.contains(u"DNS:name-00099.big.test"_s));
        QVERIFY(!fields.contains(u"DNS:name-00100.big.test"_s));
        QVERIFY2(fields.contains(u"and 9900 more"_s), qPrintable(fields.left(200)));
    }

    // A reload while a scan runs: the snapshot was read before the newest result arrived, and
    // its older row must not replace that result; a result for a target that is gone (removed
    // since) does not come back with it.
    void reloadKeepsResultsThatArriveWhileItLoads() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"reload.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        FixedClock clock(pinnedNow());
        TargetRepository repository(*db, clock);
        for (int i = 0; i < 3; ++i) {
            Target t;
            t.host = u"r%1.reload.test"_s.arg(i);
            t.addresses = {u"127.0.0.1"_s};
            QVERIFY2(repository.add(t, &error), qPrintable(error));
        }
        const QList<Target> targets = repository.all(&error);
        QCOMPARE(targets.size(), 3);
        QList<ProbeResult> stored;
        for (const Target &t : targets) {
            ProbeResult r;
            r.target = t;
            r.address = u"127.0.0.1"_s;
            r.status = Status::Timeout;
            r.error = u"timed out"_s;
            r.probedAt = pinnedNow().addDays(-1);
            stored << r;
        }
        QVERIFY2(HistoryRepository(*db).record(stored, &error), qPrintable(error));

        Settings settings(m_dir.filePath(u"reload.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        window.show();
        EndpointTableModel &model = *window.model();
        QTRY_COMPARE(model.rowCount(), 3);
        QTRY_VERIFY(!window.isLoading());

        QSignalSpy loaded(&window, &MainWindow::inventoryLoaded);
        window.reload();
        QVERIFY(window.isLoading());
        // Reported by the scan but not in the store the reader reads.
        ProbeResult newer = stored.at(1);
        newer.status = Status::Unreachable;
        newer.error = u"connection refused"_s;
        newer.probedAt = pinnedNow();
        emit window.scanController()->resultReady(newer);
        ProbeResult gone = stored.at(2);
        gone.target.id = 999;
        gone.target.host = u"gone.reload.test"_s;
        gone.probedAt = pinnedNow();
        emit window.scanController()->resultReady(gone);
        QTRY_COMPARE(loaded.size(), 1);

        QCOMPARE(model.rowCount(), 3);
        QStringList statuses;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString status = cell(model, row, EndpointTableModel::StatusColumn);
            if (model.targetAt(row).id == targets.at(1).id)
                QCOMPARE(status, u"Unreachable"_s);
            statuses << status;
        }
        QCOMPARE(statuses.count(u"Timed out"_s), 2);
    }

    // Importing runs in the store reader's thread: while the import waits for the store (a
    // write lock held here), the window's event loop runs and nothing is reported yet; then the
    // summary shows and the table reloads with the imported targets.
    void importRunsOffTheUiThread() {
        QString error;
        auto db = Database::open(m_dir.filePath(u"import.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        const QString path = m_dir.filePath(u"import.txt"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 50; ++i)
            file.write(u"i%1.import.test:8443\n"_s.arg(i).toUtf8());
        file.close();
        Settings settings(m_dir.filePath(u"import.ini"_s));
        QVERIFY(withoutPeriodicProbes(settings));
        MainWindow window(*db, settings);
        window.show();
        QTRY_VERIFY(!window.isLoading());
        QCOMPARE(window.model()->rowCount(), 0);

        QSignalSpy finished(&window, &MainWindow::importFinished);
        QSignalSpy loaded(&window, &MainWindow::inventoryLoaded);
        QVERIFY(db->exec(u"BEGIN IMMEDIATE"_s, &error));
        window.importFile(path);
        bool eventLoopRan = false;
        QTimer::singleShot(0, &window, [&] { eventLoopRan = true; });
        QTRY_VERIFY(eventLoopRan);
        QCOMPARE(finished.size(), 0); // cannot have written: the store is locked
        QVERIFY(window.statusBar()->currentMessage().contains(u"Importing"_s));
        QVERIFY(db->exec(u"COMMIT"_s, &error));

        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY(window.statusBar()->currentMessage().contains(u"50 added"_s));
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(window.model()->rowCount(), 50);

        // A file with errors imports nothing, and says so as before.
        QFile bad(m_dir.filePath(u"bad.txt"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("ok.import.test:443\nbad host name:99999\n");
        bad.close();
        QString warning;
        QTimer closer; // the warning is modal: answer it from inside its own event loop
        connect(&closer, &QTimer::timeout, &window, [&] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                warning = box->text();
                box->accept();
            }
        });
        closer.start(10);
        window.importFile(bad.fileName());
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(warning.contains(u"Nothing was imported"_s), qPrintable(warning));
        QCOMPARE(window.model()->rowCount(), 50);

        // An endless file (dropped or chosen) is refused at the documented bound, not read into
        // memory until the machine runs out.
        warning.clear();
        window.importFile(u"/dev/zero"_s);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 60000);
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(warning.contains(u"larger than 64 MiB"_s), qPrintable(warning));
        QCOMPARE(window.model()->rowCount(), 50);

        // Many problems: the first 20 and a count, each quoted short.
        QFile many(m_dir.filePath(u"many.txt"_s));
        QVERIFY(many.open(QIODevice::WriteOnly));
        many.write(QByteArray("a.example zz=" + QByteArray(100000, 'z') + "\n").repeated(100));
        many.write(QByteArray("b.example zz=1\n").repeated(1000));
        many.close();
        warning.clear();
        window.importFile(many.fileName());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 60000);
        QVERIFY2(warning.contains(u"... and 1080 more"_s), qPrintable(warning.left(3000)));
        QVERIFY2(warning.size() < 20 * 300, qPrintable(warning.left(3000)));
    }

    void modelUnderTheTester()
    {
        EndpointTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Target a;
        a.id = 1;
        a.host = u"a.test"_s;
        Target b;
        b.id = 2;
        b.host = u"b.test"_s;
        model.setInventory({a, b}, {});
        QCOMPARE(model.rowCount(), 2);
        // A DNS failure row for a is replaced by per-address rows.
        ProbeResult dns;
        dns.target = a;
        dns.status = Status::Unreachable;
        model.upsertResult(dns);
        QCOMPARE(model.rowCount(), 2);
        for (const char *address : {"192.0.2.1", "192.0.2.2"}) {
            ProbeResult r;
            r.target = a;
            r.address = QString::fromLatin1(address);
            r.status = Status::Expired;
            r.daysLeft = -3;
            model.upsertResult(r);
        }
        QCOMPARE(model.rowCount(), 3);
        EndpointFilterProxy proxy;
        proxy.setSourceModel(&model);
        proxy.setStatuses({int(Status::Expired)});
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setStatuses({-1});
        QCOMPARE(proxy.rowCount(), 1); // b, not probed yet
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
