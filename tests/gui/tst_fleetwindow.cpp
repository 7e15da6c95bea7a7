// Fleet rows in the window, against the real thing: Debian's prometheus and
// prometheus-blackbox-exporter on loopback, configured by `certdash fleet config` from the same
// inventory the window holds, probing local TLS servers. The window reads them through Settings >
// Fleet: the fleet rows show with their Source and the same expiry as the window's own probe of
// each endpoint. Then the Prometheus stops: a read fails, the rows stay (with their age), the
// status bar says so once. A "Prometheus" that accepts and never answers leaves the window
// answering while the read hangs. After a restart the last rows read are shown again.
// Certificates are made relative to the real clock: the binaries run with it.
#include "CertFactory.h"
#include "LocalTlsServer.h"
#include "ServerProcess.h"
#include "models/EndpointTableModel.h"
#include "storage/Database.h"
#include "storage/Settings.h"
#include "storage/TargetRepository.h"
#include "widgets/FleetFeed.h"
#include "widgets/MainWindow.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace certdash;
using namespace certdash::test;
using namespace Qt::StringLiterals;

namespace {
// Prometheus and the exporter listen on an address of their own (as in tst_fleetconfig).
const QHostAddress kFleetAddress(QStringLiteral("127.78.0.2"));

quint16 freePort() {
    QTcpServer s;
    return s.listen(kFleetAddress, 0) ? s.serverPort() : 0;
}

QDateTime daysFromNow(double days) {
    return QDateTime::currentDateTimeUtc().addSecs(qint64(days * 86400));
}

struct Chain {
    TestCert root, intermediate, leaf;
    QList<QSslCertificate> served() const {
        return {leaf.certificate(), intermediate.certificate()};
    }
};
Chain makeChain(const QString &name, double intermediateDays, double leafDays) {
    Chain c;
    CertSpec root = CertSpec::root(u"Fleet Window Root "_s + name);
    root.notBefore = daysFromNow(-10);
    root.notAfter = daysFromNow(3650);
    c.root = makeCert(root);
    CertSpec intermediate = CertSpec::intermediate(u"Fleet Window CA "_s + name);
    intermediate.notBefore = daysFromNow(-10);
    intermediate.notAfter = daysFromNow(intermediateDays);
    c.intermediate = makeCert(intermediate, &c.root);
    CertSpec leaf = CertSpec::leaf(name);
    leaf.notBefore = daysFromNow(-1);
    leaf.notAfter = daysFromNow(leafDays);
    c.leaf = makeCert(leaf, &c.intermediate);
    return c;
}

bool waitUntil(QProcess &process, int ms) {
    QElapsedTimer timer;
    timer.start();
    while (process.state() != QProcess::NotRunning && timer.elapsed() < ms)
        QTest::qWait(20);
    return process.state() == QProcess::NotRunning;
}

// Endpoint key -> row, of the fleet rows (fleet) or of CertDash's own probed rows.
QHash<QString, ProbeResult> rowsOf(const EndpointTableModel &model, bool fleet) {
    QHash<QString, ProbeResult> rows;
    for (int row = 0; row < model.rowCount(); ++row) {
        const ProbeResult &r = model.resultAt(row);
        if (model.hasResult(row) && EndpointTableModel::isFleetRow(r) == fleet && r.limiting)
            rows.insert(endpointKey(r.target), r);
    }
    return rows;
}
} // namespace

class TestFleetWindow : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_prometheus, m_blackbox, m_certdash;
    QProcess m_exporterProcess;
    QProcess m_prometheusProcess;

    QPair<int, QString> run(const QString &program, const QStringList &arguments) {
        QProcess p;
        p.start(program, arguments);
        if (!p.waitForStarted(10000) || !waitUntil(p, 60000)) {
            p.kill();
            p.waitForFinished();
            return {-1, program + u" did not finish"_s};
        }
        p.readAllStandardOutput();
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
                QString::fromUtf8(p.readAllStandardError())};
    }

    void start(QProcess &process, const QString &program, const QStringList &arguments,
               const QString &address) {
        process.setProcessChannelMode(QProcess::MergedChannels);
        endWithTest(process);
        process.start(program, arguments);
        QVERIFY2(process.waitForStarted(10000), qPrintable(process.errorString()));
        const QStringList hostPort = address.split(u':');
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                QTcpSocket probe;
                probe.connectToHost(hostPort.at(0), hostPort.at(1).toUShort());
                return probe.waitForConnected(200);
            }(),
            qPrintable(program + u" did not listen on "_s + address), 30000);
    }

    static void stop(QProcess &process) {
        if (process.state() == QProcess::NotRunning)
            return;
        process.terminate();
        if (!process.waitForFinished(10000))
            process.kill();
        process.waitForFinished();
    }

private slots:
    void initTestCase() {
        const QStringList dirs{u"/usr/bin"_s, u"/usr/sbin"_s};
        m_prometheus = QStandardPaths::findExecutable(u"prometheus"_s, dirs);
        m_blackbox = QStandardPaths::findExecutable(u"prometheus-blackbox-exporter"_s, dirs);
        if (m_prometheus.isEmpty() || m_blackbox.isEmpty()) {
            if (qEnvironmentVariableIsSet("CI"))
                QFAIL("prometheus or prometheus-blackbox-exporter is not installed; "
                      "tools/install-deps.sh installs them");
            QSKIP("prometheus and prometheus-blackbox-exporter are not installed");
        }
        m_certdash = qEnvironmentVariable("CERTDASH_BINARY");
        QVERIFY2(!m_certdash.isEmpty(), "CERTDASH_BINARY is not set (run through ctest)");
        QVERIFY(m_dir.isValid());
    }

    void cleanupTestCase() {
        stop(m_prometheusProcess);
        stop(m_exporterProcess);
    }

    void fleetRowsBesideOwnProbesSurviveOutagesAndRestarts() {
        // Two names on one port, each with its own chain; beta's intermediate expires first.
        const Chain alpha = makeChain(u"alpha.window.test"_s, 400, 60);
        const Chain beta = makeChain(u"beta.window.test"_s, 45, 200);
        LocalTlsServer tls;
        tls.setChain(alpha.served(), alpha.leaf.key());
        tls.addSniChain(u"beta.window.test"_s, beta.served(), beta.leaf.key());
        QVERIFY(tls.listenLoopback());

        // The window's inventory, and the same targets as the fleet's inventory file.
        QString error;
        auto db = Database::open(m_dir.filePath(u"fleet.sqlite"_s), &error);
        QVERIFY2(db, qPrintable(error));
        SystemClock clock;
        TargetRepository repository(*db, clock);
        QJsonArray inventory;
        for (const QString &name : {u"alpha.window.test"_s, u"beta.window.test"_s}) {
            Target t;
            t.name = name.section(u'.', 0, 0);
            t.host = u"127.0.0.1"_s;
            t.port = tls.port();
            t.sni = name;
            t.owner = u"web team"_s;
            QVERIFY2(repository.add(t, &error), qPrintable(error));
            inventory.append(QJsonObject{{u"name"_s, t.name},
                                         {u"host"_s, t.host},
                                         {u"port"_s, t.port},
                                         {u"sni"_s, t.sni},
                                         {u"owner"_s, t.owner}});
        }
        const QString inventoryPath = m_dir.filePath(u"inventory.json"_s);
        {
            QFile f(inventoryPath);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QJsonDocument(inventory).toJson());
        }

        // The fleet, configured by CertDash from that inventory.
        const QString exporter = kFleetAddress.toString() + u':' + QString::number(freePort());
        const QString prometheus = kFleetAddress.toString() + u':' + QString::number(freePort());
        const QString fleetDir = m_dir.filePath(u"fleet"_s);
        const auto [configExit, configErr] =
            run(m_certdash, {u"fleet"_s, u"config"_s, u"--targets"_s, inventoryPath, u"--output"_s,
                             fleetDir, u"--exporter"_s, exporter, u"--interval"_s, u"2s"_s});
        QVERIFY2(configExit == 0, qPrintable(configErr));
        start(m_exporterProcess, m_blackbox,
              {u"--config.file="_s + fleetDir + u"/blackbox.yml"_s,
               u"--web.listen-address="_s + exporter},
              exporter);
        QVERIFY(QDir().mkpath(m_dir.filePath(u"tsdb"_s)));
        start(m_prometheusProcess, m_prometheus,
              {u"--config.file="_s + fleetDir + u"/prometheus.yml"_s,
               u"--web.listen-address="_s + prometheus,
               u"--storage.tsdb.path="_s + m_dir.filePath(u"tsdb"_s)},
              prometheus);

        // Settings > Fleet: that Prometheus.
        Settings settings(m_dir.filePath(u"fleet.ini"_s));
        Settings::Values values;
        values.probeIntervalMinutes = 0;
        FleetSourceSettings source;
        source.url = u"http://"_s + prometheus;
        source.readIntervalSeconds = 10;
        values.fleetSources = {source};
        QVERIFY(settings.store(values).isEmpty());

        auto window = std::make_unique<MainWindow>(*db, settings);
        window->show();
        const EndpointTableModel &model = *window->model();
        QTRY_VERIFY(!window->isLoading());
        window->probeAllAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(rowsOf(model, false).size(), 2, 20000);

        // Once Prometheus has scraped both, the fleet rows show (the window reads again on its
        // own every 10 s; readAll() only saves the test that wait).
        QTRY_VERIFY_WITH_TIMEOUT((window->fleetFeed()->readAll(), rowsOf(model, true).size() == 2),
                                 60000);
        const QHash<QString, ProbeResult> own = rowsOf(model, false);
        const QHash<QString, ProbeResult> fleet = rowsOf(model, true);
        QCOMPARE(QSet<QString>(fleet.keyBegin(), fleet.keyEnd()),
                 QSet<QString>(own.keyBegin(), own.keyEnd()));
        const QString sourceLabel = prometheus; // host:port
        for (auto it = fleet.cbegin(); it != fleet.cend(); ++it) {
            QCOMPARE(it->limiting->notAfter.toSecsSinceEpoch(),
                     own.value(it.key()).limiting->notAfter.toSecsSinceEpoch());
            QCOMPARE(it->status, own.value(it.key()).status);
        }
        QCOMPARE(
            fleet.value(endpointKey(repository.all().at(1))).limiting->notAfter.toSecsSinceEpoch(),
            beta.intermediate.certificate().expiryDate().toSecsSinceEpoch());
        // The Source column says where each row comes from; the tooltip how old it is.
        int fleetRow = -1;
        for (int row = 0; row < model.rowCount(); ++row) {
            const QString text =
                model.index(row, EndpointTableModel::SourceColumn).data().toString();
            if (EndpointTableModel::isFleetRow(model.resultAt(row))) {
                QCOMPARE(text, sourceLabel);
                fleetRow = row;
            } else {
                QCOMPARE(text, u"CertDash"_s);
            }
        }
        QVERIFY(model.index(fleetRow, EndpointTableModel::ProbedColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(u"read "_s));
        // Filterable like the rest: the Prometheus's host finds exactly the fleet rows.
        auto *filter = window->findChild<QLineEdit *>(u"filter"_s);
        auto *table = window->findChild<QTableView *>(u"endpoints"_s);
        filter->setText(prometheus);
        QTRY_COMPARE(table->model()->rowCount(), 2);
        filter->clear();
        QTRY_COMPARE(table->model()->rowCount(), 4);

        // The Prometheus stops: the read fails, the rows stay, the status bar says so once.
        stop(m_prometheusProcess);
        window->fleetFeed()->readAll();
        QTRY_VERIFY_WITH_TIMEOUT(
            window->statusBar()->currentMessage().contains(u"could not be read"_s), 20000);
        QCOMPARE(rowsOf(model, true).size(), 2);
        for (auto it = fleet.cbegin(); it != fleet.cend(); ++it)
            QCOMPARE(rowsOf(model, true).value(it.key()).limiting->notAfter,
                     it->limiting->notAfter);

        // A "Prometheus" that accepts and never answers, added as a second source: while its
        // read hangs the event loop runs and the window answers (the filter filters).
        QTcpServer hanging;
        QVERIFY(hanging.listen(QHostAddress::LocalHost));
        QList<QTcpSocket *> held;
        connect(&hanging, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = hanging.nextPendingConnection())
                held << s; // read nothing, answer nothing
        });
        window->fleetFeed()->setTimeout(std::chrono::seconds(4));
        FleetSourceSettings silent;
        silent.url = u"http://127.0.0.1:"_s + QString::number(hanging.serverPort());
        const Settings::Values before = settings.values();
        values.fleetSources = {source, silent};
        QVERIFY(settings.store(values).isEmpty());
        window->statusBar()->clearMessage();
        window->settingsStored(before);
        QTRY_VERIFY(!held.isEmpty()); // the read is under way
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
        ticker.start(10);
        filter->setText(u"alpha"_s);
        QTRY_COMPARE(table->model()->rowCount(), 2); // own alpha + fleet alpha
        QTRY_VERIFY(ticks >= 5);
        // ...and all that while the hanging read had not even failed yet.
        QVERIFY2(!window->statusBar()->currentMessage().contains(u"127.0.0.1:"_s),
                 qPrintable(window->statusBar()->currentMessage()));
        QTRY_VERIFY_WITH_TIMEOUT(window->statusBar()->currentMessage().contains(u"127.0.0.1:"_s),
                                 20000);
        QCOMPARE(rowsOf(model, true).size(), 2); // still the first source's rows
        filter->clear();

        // A restart with the Prometheus still down: the last rows read are shown again (the
        // newest ones: the window may have read again since the first comparison above).
        const QHash<QString, ProbeResult> lastShown = rowsOf(model, true);
        window.reset();
        Settings::Values again = settings.values();
        again.fleetSources = {source};
        QVERIFY(settings.store(again).isEmpty());
        MainWindow restarted(*db, settings);
        QTRY_COMPARE_WITH_TIMEOUT(rowsOf(*restarted.model(), true).size(), 2, 10000);
        for (auto it = lastShown.cbegin(); it != lastShown.cend(); ++it) {
            const ProbeResult r = rowsOf(*restarted.model(), true).value(it.key());
            QCOMPARE(r.limiting->notAfter, it->limiting->notAfter);
            QCOMPARE(r.probedAt, it->probedAt);
        }
        qDeleteAll(held);
    }
};

QTEST_MAIN(TestFleetWindow)
#include "tst_fleetwindow.moc"
