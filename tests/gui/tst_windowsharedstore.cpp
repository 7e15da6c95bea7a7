// The window and other processes on one store: what another process imports, what a cron
// `certdash scan` records and what another process removes shows in the open window within
// seconds, without a restart, read in the store reader's thread (never on the UI thread).
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "domain/Clock.h"
#include "models/EndpointTableModel.h"
#include "monitor/InventoryLoader.h"
#include "monitor/ScanController.h"
#include "storage/Database.h"
#include "storage/ScanRunRepository.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {

// Set in the environment of this executable started as "another process": it removes the
// target with this host from the store named by kChildDatabase, then exits.
constexpr char kChildRemoveHost[] = "CERTDASH_TEST_CHILD_REMOVE_HOST";
constexpr char kChildDatabase[] = "CERTDASH_TEST_CHILD_DATABASE";

int removeTargetAsAnotherProcess() {
    QString error;
    auto db = Database::open(qEnvironmentVariable(kChildDatabase), &error);
    if (!db)
        return 1;
    SystemClock clock;
    TargetRepository repository(*db, clock);
    for (const Target &t : repository.all(&error)) {
        if (t.host == qEnvironmentVariable(kChildRemoveHost))
            return repository.remove(t.id, &error) ? 0 : 2;
    }
    return 3;
}

CertSpec aroundNow(CertSpec spec, double fromDays, double toDays) {
    const QDateTime now = QDateTime::currentDateTimeUtc(); // the CLI runs on the real clock
    spec.notBefore = now.addSecs(qint64(fromDays * 86400));
    spec.notAfter = now.addSecs(qint64(toDays * 86400));
    return spec;
}

QString cell(const QAbstractItemModel &model, int row, int column) {
    return model.index(row, column).data().toString();
}

int rowOf(const QAbstractItemModel &model, const QString &target) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (cell(model, row, EndpointTableModel::TargetColumn) == target)
            return row;
    }
    return -1;
}

} // namespace

class TestWindowSharedStore : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_binary;

    // Runs a process with its own home, keeping this event loop (the TLS server's and the
    // window's) running meanwhile; its exit code, or -1.
    int run(const QString &program, const QStringList &arguments,
            const QProcessEnvironment &extra = {}, QByteArray *out = nullptr) {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"home/config"_s));
        env.insert(u"XDG_DATA_HOME"_s, m_dir.filePath(u"home/data"_s));
        env.remove(u"CERTDASH_SCHEDULED"_s); // as if started by hand, unless extra says the timer
        // A terminal of a systemd user session passes systemd's INVOCATION_ID to every shell: a
        // scan by hand there is still a scan by hand.
        env.insert(u"INVOCATION_ID"_s, u"fedcba9876543210fedcba9876543210"_s);
        env.insert(extra);
        process.setProcessEnvironment(env);
        QSignalSpy finished(&process, &QProcess::finished);
        process.start(program, arguments);
        if (!finished.wait(60000) || process.exitStatus() != QProcess::NormalExit)
            return -1;
        if (out)
            *out = process.readAllStandardOutput();
        if (process.exitCode() != 0)
            qWarning("%s", process.readAllStandardError().constData());
        return process.exitCode();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_binary = qEnvironmentVariable("CERTDASH_BINARY");
    }

    void showsWhatOtherProcessesCommit() {
        if (m_binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const TestCert root = makeCert(aroundNow(CertSpec::root(u"Window Root"_s), -400, 3000));
        const TestCert ca =
            makeCert(aroundNow(CertSpec::intermediate(u"Window CA"_s), -200, 1000), &root);
        const auto leafFor = [&](double daysLeft) {
            // A long lifetime: the warning threshold is not capped by it.
            CertSpec spec = aroundNow(CertSpec::leaf(u"shared.test"_s), -300, daysLeft);
            spec.dnsNames << u"*.shared.test"_s;
            return makeCert(spec, &ca);
        };
        const TestCert healthy = leafFor(80.5);
        LocalTlsServer server;
        server.setChain({healthy.certificate(), ca.certificate()}, healthy.key());
        QVERIFY(server.listenLoopback());
        const QString rootPem = m_dir.filePath(u"root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));

        const QString path = m_dir.filePath(u"window.sqlite"_s);
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        SystemClock clock;
        Target a;
        a.host = u"a.shared.test"_s;
        a.port = server.port();
        a.addresses = {u"127.0.0.1"_s};
        QVERIFY2(TargetRepository(*db, clock).add(a, &error), qPrintable(error));

        Settings settings(m_dir.filePath(u"window.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0; // the window probes nothing by itself here
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        auto *loader = window.findChild<InventoryLoader *>();
        QVERIFY(loader);
        QList<QThread *> readIn;
        connect(loader, &InventoryLoader::loaded, this,
                [&](const std::shared_ptr<InventorySnapshot> &s) { readIn << s->readIn; });
        window.show();
        QTRY_VERIFY(!window.isLoading());
        const QAbstractItemModel &model = *window.findChild<QTableView *>(u"endpoints"_s)->model();
        QCOMPARE(model.rowCount(), 1);
        const QString aLabel = u"a.shared.test:%1"_s.arg(server.port());
        const QString bLabel = u"b.shared.test:%1"_s.arg(server.port());
        QCOMPARE(cell(model, 0, EndpointTableModel::StatusColumn), u"Not probed yet"_s);
        QVERIFY(window.selectTarget(a.id, QString()));
        QElapsedTimer latency;
        QStringList latencies;

        // Another process imports a target: its row appears.
        const QString file = m_dir.filePath(u"more.txt"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(u"b.shared.test:%1 address=127.0.0.1\n"_s.arg(server.port()).toUtf8());
        f.close();
        QCOMPARE(run(m_binary, {u"import"_s, file, u"--database"_s, path}), 0);
        latency.start();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
        latencies << u"import %1 ms"_s.arg(latency.elapsed());
        QVERIFY(rowOf(model, bLabel) >= 0);

        // A cron scan records results: they replace "not probed yet"...
        const QStringList scan{u"scan"_s, u"--database"_s,     path,
                               u"-q"_s,   u"--no-system-ca"_s, u"--ca-file"_s,
                               rootPem,   u"--timeout"_s,      u"5"_s};
        QCOMPARE(run(m_binary, scan), 0);
        latency.start();
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(model, rowOf(model, aLabel), EndpointTableModel::StatusColumn), u"OK"_s, 5000);
        latencies << u"scan %1 ms"_s.arg(latency.elapsed());
        QCOMPARE(cell(model, rowOf(model, bLabel), EndpointTableModel::StatusColumn), u"OK"_s);
        QCOMPARE(cell(model, rowOf(model, aLabel), EndpointTableModel::DaysLeftColumn), u"80"_s);

        // ...and the next one's replace those; the row the user selected stays selected.
        const TestCert expiring = leafFor(20.5);
        server.setChain({expiring.certificate(), ca.certificate()}, expiring.key());
        QByteArray report;
        QVERIFY2(run(m_binary, scan, {}, &report) == 1, report.constData()); // warning
        latency.start();
        QTRY_COMPARE_WITH_TIMEOUT(
            cell(model, rowOf(model, aLabel), EndpointTableModel::DaysLeftColumn), u"20"_s, 5000);
        latencies << u"second scan %1 ms"_s.arg(latency.elapsed());
        QCOMPARE(cell(model, rowOf(model, aLabel), EndpointTableModel::StatusColumn), u"Warning"_s);
        QCOMPARE(model.rowCount(), 2);
        const QModelIndexList selected =
            window.findChild<QTableView *>(u"endpoints"_s)->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().row(), rowOf(model, aLabel));

        // Another process removes a target: its row goes.
        QProcessEnvironment child;
        child.insert(QString::fromLatin1(kChildDatabase), path);
        child.insert(QString::fromLatin1(kChildRemoveHost), u"b.shared.test"_s);
        QCOMPARE(run(QCoreApplication::applicationFilePath(), {}, child), 0);
        latency.start();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
        latencies << u"removal %1 ms"_s.arg(latency.elapsed());
        QCOMPARE(rowOf(model, bLabel), -1);

        // Every one of those reads ran in the store reader's thread.
        QVERIFY(readIn.size() >= 5); // the first load, then one per foreign commit
        for (QThread *thread : std::as_const(readIn)) {
            QVERIFY(thread);
            QVERIFY(thread != QThread::currentThread());
        }
        qInfo("from the other process's exit to the window's table: %s",
              qPrintable(latencies.join(u", "_s)));
    }

    // The window's own scan commits all along: no reload while it runs, whatever changed
    // meanwhile; what another process committed meanwhile shows right after it.
    void ownScanReloadsOnceAtItsEnd() {
        if (m_binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        LocalTlsServer silent; // every probe of it runs into the timeout: a scan that lasts
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        const QString path = m_dir.filePath(u"own-scan.sqlite"_s);
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        SystemClock clock;
        TargetRepository repository(*db, clock);
        for (int i = 0; i < 3; ++i) {
            Target t;
            t.host = u"s%1.shared.test"_s.arg(i);
            t.port = silent.port();
            t.addresses = {u"127.0.0.1"_s};
            QVERIFY2(repository.add(t, &error), qPrintable(error));
        }
        Settings settings(m_dir.filePath(u"own-scan.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        ProbeOptions options = window.scanController()->probeOptions();
        options.timeoutMs = 2000;
        window.scanController()->setProbeOptions(options);
        window.scanController()->setConcurrency(1); // one probe after another: results commit
                                                    // while the scan goes on
        auto *loader = window.findChild<InventoryLoader *>();
        int loads = 0;
        connect(loader, &InventoryLoader::loaded, this, [&] { ++loads; });
        window.show();
        QTRY_COMPARE(loads, 1);
        QCOMPARE(window.model()->rowCount(), 3);

        QSignalSpy finished(window.scanController(), &ScanController::finished);
        window.probeAllAction()->trigger();
        const QString file = m_dir.filePath(u"during-scan.txt"_s);
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(u"n.shared.test:%1 address=127.0.0.1\n"_s.arg(silent.port()).toUtf8());
        f.close();
        QCOMPARE(run(m_binary, {u"import"_s, file, u"--database"_s, path}), 0);
        QVERIFY(window.scanController()->isRunning()); // the import was during the scan
        QVERIFY(finished.wait(30000));
        QCOMPARE(loads, 1); // nothing reloaded during the scan
        QTRY_COMPARE_WITH_TIMEOUT(window.model()->rowCount(), 4, 5000);
    }

    // What certdash-scan.timer recorded shows in the open window: a headless
    // `certdash scan --database` started as certdash-scan.service starts it (CERTDASH_SCHEDULED=1), then the
    // status bar says when it ran, how many targets it probed and how many need attention.
    void showsTheLastScheduledScan() {
        if (m_binary.isEmpty())
            QSKIP("CERTDASH_BINARY is not set (run through ctest)");
        const TestCert root = makeCert(aroundNow(CertSpec::root(u"Timer Root"_s), -400, 3000));
        const TestCert ca =
            makeCert(aroundNow(CertSpec::intermediate(u"Timer CA"_s), -200, 1000), &root);
        const auto leafFor = [&](const QString &host, double daysLeft) {
            return makeCert(aroundNow(CertSpec::leaf(host), -300, daysLeft), &ca);
        };
        const TestCert warning = leafFor(u"a.timer.test"_s, 20.5);
        const TestCert healthy = leafFor(u"b.timer.test"_s, 80.5);
        LocalTlsServer server;
        server.setChain({warning.certificate(), ca.certificate()}, warning.key());
        server.addSniChain(u"b.timer.test"_s, {healthy.certificate(), ca.certificate()},
                           healthy.key());
        QVERIFY(server.listenLoopback());
        LocalTlsServer silent; // one target that cannot be probed in time
        silent.setMode(LocalTlsServer::Mode::Silent);
        QVERIFY(silent.listenLoopback());
        const QString rootPem = m_dir.filePath(u"timer-root.pem"_s);
        QVERIFY(writePemBundle(rootPem, {root}));

        const QString path = m_dir.filePath(u"timer.sqlite"_s);
        QString error;
        auto db = Database::open(path, &error);
        QVERIFY2(db, qPrintable(error));
        SystemClock clock;
        TargetRepository repository(*db, clock);
        for (const auto &[host, port] : {std::pair{u"a.timer.test"_s, server.port()},
                                         std::pair{u"b.timer.test"_s, server.port()},
                                         std::pair{u"c.timer.test"_s, silent.port()}}) {
            Target t;
            t.host = host;
            t.port = port;
            t.addresses = {u"127.0.0.1"_s};
            // a.timer.test has a second backend that refuses connections (the server listens
            // on 127.0.0.1 only): one target, two addresses needing attention.
            if (host == u"a.timer.test"_s)
                t.addresses << u"127.0.0.2"_s;
            QVERIFY2(repository.add(t, &error), qPrintable(error));
        }
        Settings settings(m_dir.filePath(u"timer.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        QVERIFY(settings.store(values).isEmpty());
        MainWindow window(*db, settings);
        window.show();
        QTRY_VERIFY(!window.isLoading());
        auto *label = window.findChild<QLabel *>(u"lastHeadlessScan"_s);
        QVERIFY(label);
        QVERIFY(!label->isVisible()); // no headless scan yet

        QProcessEnvironment systemd;
        systemd.insert(u"CERTDASH_SCHEDULED"_s, u"1"_s);
        const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
        QCOMPARE(
            run(m_binary,
                {u"scan"_s, u"--database"_s, path, u"-q"_s, u"--no-system-ca"_s, u"--ca-file"_s,
                 rootPem, u"--timeout"_s, u"2"_s, u"--output"_s, m_dir.filePath(u"timer.csv"_s)},
                systemd),
            2); // a timeout is a failed probe
        const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);
        QTRY_VERIFY_WITH_TIMEOUT(label->isVisible(), 5000);
        const QString text = label->text();
        QVERIFY2(text.startsWith(u"Last scheduled scan: "_s), qPrintable(text));
        // When it ended, in local time as the window prints times...
        const std::optional<ScanRun> recorded = ScanRunRepository(*db).latest(&error);
        QVERIFY2(recorded, qPrintable(error));
        QVERIFY(recorded->finishedAt >= before && recorded->finishedAt <= after);
        const QString ended =
            QLocale().toString(recorded->finishedAt.toLocalTime(), QLocale::ShortFormat);
        QVERIFY2(text.contains(ended), qPrintable(text + u" / "_s + ended));
        // ...three targets, two of them needing attention (a: a warning and a refused backend;
        // c: the timeout), counted as targets like the targets are, not as addresses (3).
        QVERIFY2(text.contains(u", 3 target"_s), qPrintable(text));
        QVERIFY2(text.contains(u", 2 need"_s), qPrintable(text));
        QVERIFY2(label->toolTip().contains(u"certdash-scan.timer"_s), qPrintable(label->toolTip()));
        QVERIFY2(label->toolTip().contains(u"exit code 2"_s), qPrintable(label->toolTip()));

        // A scan by hand afterwards is named as such.
        QCOMPARE(run(m_binary, {u"scan"_s, u"--database"_s, path, u"-q"_s, u"--no-system-ca"_s,
                                u"--ca-file"_s, rootPem, u"--timeout"_s, u"2"_s, u"--output"_s,
                                m_dir.filePath(u"hand.csv"_s)}),
                 2);
        QTRY_VERIFY_WITH_TIMEOUT(label->text().startsWith(u"Last command-line scan: "_s), 5000);
    }
};

int main(int argc, char **argv) {
    if (qEnvironmentVariableIsSet(kChildRemoveHost)) {
        QCoreApplication app(argc, argv);
        return removeTargetAsAnotherProcess();
    }
    QApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestWindowSharedStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_windowsharedstore.moc"
